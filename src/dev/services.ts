import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatHostPort, isLoopbackHost } from './addresses.js';
import { acceptsConnections } from './ports.js';
import type { ManagedProcess } from './process.js';
import { waitUntilReady } from './readiness.js';
import { registerSearchAttributes } from './register-search-attributes.js';
import { devPlans, testPlans, type ServiceEnv, type ServiceName, type ServicePlan } from './service-plans.js';
import { withTemporalConnection } from './temporal.js';
import { devDirs, testRunDirs } from './workspace.js';

export type { ServiceEnv, ServiceName } from './service-plans.js';

export interface EnsureServicesOptions {
  /** dev: reuse what answers at the configured addresses, start the rest there, keep data.
   *  test: always fresh services on free ports with throw-away data; never a user's services. */
  mode: 'dev' | 'test';
  /** Stop the started services on SIGINT/SIGTERM/SIGHUP, then exit. Callers that must stop their
   *  own children first (npm run dev, the test runner) pass false and call stop() themselves. */
  stopOnSignal?: boolean;
  /** Where dev mode reads the addresses from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Test mode: Temporal keeps its workflows in a file of the run's data folder instead of memory, so that
   *  restart('temporal') keeps them (the chaos suite). Dev mode always keeps them. */
  keepTemporalData?: boolean;
}

export interface RunningServices {
  env: ServiceEnv;
  /** Names of the services this call started ('temporal', 'mongodb', 'redis'); the others were reused. */
  started: string[];
  /**
   * Stops one service this call started and starts it again at the same address on the same data: FerretDB with its
   * PostgreSQL cluster, Temporal with its database file (in memory, unless keepTemporalData, it comes back empty).
   * Redis keeps nothing (persistence is off), so it comes back empty.
   */
  restart(name: ServiceName): Promise<void>;
  /** Stops only what this call started. Safe to call more than once. */
  stop(): Promise<void>;
}

const REUSE_PING_TIMEOUT_MS = 15_000;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Test mode picks free ports before the services bind them, so another process can take one in between (seen
 * with test runs in parallel: Temporal died with "address already in use"); a failed start is tried again on
 * fresh ports. Dev mode uses fixed addresses, where trying again would fail the same way.
 */
export const TEST_START_ATTEMPTS = 3;

export async function ensureServices(opts: EnsureServicesOptions): Promise<RunningServices> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureServicesOnce(opts);
    } catch (error) {
      if (opts.mode !== 'test' || attempt >= TEST_START_ATTEMPTS) throw error;
      console.warn(`local services failed to start (attempt ${attempt}), trying fresh ports: ${errorMessage(error)}`);
    }
  }
}

async function ensureServicesOnce(opts: EnsureServicesOptions): Promise<RunningServices> {
  const source = opts.env ?? process.env;
  const dirs = opts.mode === 'test' ? testRunDirs() : devDirs();
  const { env, namespace, plans } =
    opts.mode === 'test' ? await testPlans(source, dirs, opts.keepTemporalData ?? false) : devPlans(source, dirs);
  const reuse = opts.mode === 'dev';

  const outcomes = await Promise.allSettled(plans.map((plan) => ensureOne(plan, reuse)));
  const processes = new Map<ServiceName, ManagedProcess>();
  outcomes.forEach((outcome, i) => {
    const plan = plans[i];
    if (outcome.status === 'fulfilled' && outcome.value && plan) processes.set(plan.name, outcome.value);
  });
  const started: string[] = [...processes.keys()];
  const registerAttributes = (): Promise<string[]> =>
    withTemporalConnection(env.TEMPORAL_ADDRESS, (connection) => registerSearchAttributes(connection, namespace));

  let stopping: Promise<void> | undefined;
  let exitingOnSignal = false;
  // A signal often arrives twice (the terminal signals the whole group, and tsx or npm relays it
  // too): the handler stays installed while stopping so a repeat cannot kill us half-way.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (exitingOnSignal) return;
    exitingOnSignal = true;
    void stop().finally(() => process.exit(128 + signalNumber(signal)));
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all([...processes.values()].map((p) => p.stop()));
      if (dirs.disposable) rmSync(dirs.dataDir, { recursive: true, force: true });
      if (!exitingOnSignal) for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    })();
    return stopping;
  };
  if (opts.stopOnSignal ?? true) for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  try {
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [errorMessage(o.reason)] : []));
    if (failures.length > 0) throw new Error(`Local services failed to start:\n- ${failures.join('\n- ')}`);
    await registerAttributes().catch((error: unknown) => {
      throw new Error(`Registering search attributes on Temporal at ${env.TEMPORAL_ADDRESS}: ${errorMessage(error)}`);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const restart = async (name: ServiceName): Promise<void> => {
    const running = processes.get(name);
    const plan = plans.find((p) => p.name === name);
    if (!running || !plan) throw new Error(`${name} was not started by this launcher, so it cannot restart it`);
    await running.stop();
    const again = await ensureOne(plan, false);
    if (again) processes.set(name, again);
    // A Temporal that kept no data lost the namespace's search attributes; a kept one lists them all (a no-op).
    if (name === 'temporal') await registerAttributes();
  };
  return { env, started, restart, stop };
}

/** Returns the process it started, or undefined when a running service was reused. */
async function ensureOne(plan: ServicePlan, reuse: boolean): Promise<ManagedProcess | undefined> {
  const address = formatHostPort(plan.hostPort);
  if (reuse && (await acceptsConnections(plan.hostPort))) {
    await pingWithRetries(plan).catch((error: unknown) => {
      throw new Error(
        `${plan.name}: something listens at ${address} but does not answer as ${plan.name} (${errorMessage(error)})`,
      );
    });
    return undefined;
  }
  if (!isLoopbackHost(plan.hostPort.host)) {
    throw new Error(`${plan.name}: nothing answers at ${address}, and only services on this machine can be started`);
  }
  const started = await plan.start();
  try {
    await waitUntilReady({
      service: plan.name,
      hostPort: plan.hostPort,
      process: started,
      ping: plan.ping,
      timeoutMs: plan.startTimeoutMs,
    });
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}

/** A service another launcher has just started may accept TCP a little before it answers. */
async function pingWithRetries(plan: ServicePlan): Promise<void> {
  const deadline = Date.now() + REUSE_PING_TIMEOUT_MS;
  for (;;) {
    try {
      return await plan.ping();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
