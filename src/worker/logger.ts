import { Context } from '@temporalio/activity';
import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';

/**
 * The worker process's one logger: JSON lines from pino for the app and, through the SDK's Runtime logger, for the
 * SDK (workflow `log`, activity `Context.log`, worker lifecycle, Rust core). Lines written inside an activity (also
 * by app code calling this logger) carry workflowId, runId and activityType; workflow lines carry workflowId, runId
 * and workflowType from the SDK; so an operator can go from any line to the run in the Temporal UI.
 */
export function createWorkerLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({ level: config.LOG_LEVEL, name: 'worker', mixin: activityFields });
}

function activityFields(): Record<string, string> {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return {}; // not inside an activity
  }
  const run = info.workflowExecution;
  return {
    ...(run ? { workflowId: run.workflowId, runId: run.runId } : {}),
    activityType: info.activityType,
    activityId: info.activityId,
  };
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The SDK's Logger over pino. Activity lines name the run `workflowRunId`; renamed `runId` like workflow lines. */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const { workflowRunId, ...rest } = meta as LogMetadata & { workflowRunId?: string };
    const fields = workflowRunId === undefined ? rest : { ...rest, runId: workflowRunId };
    this.logger[PINO_LEVEL[level]]({ sdk: true, ...fields }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
