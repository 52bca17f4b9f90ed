import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../config.js';

/** What both the client Connection and the worker's NativeConnection take to reach a secured frontend. */
export interface TemporalSecurity {
  tls?: TLSConfig | false;
  apiKey?: string;
}

export type TemporalConnectionConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CA_PATH'
  | 'TEMPORAL_TLS_CERT_PATH'
  | 'TEMPORAL_TLS_KEY_PATH'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/** A TEMPORAL_* setting that cannot work; the message names the variable, so start-up says what to fix. */
export class TemporalSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalSettingsError';
  }
}

/**
 * The TLS / API-key part of the Temporal connection, read and checked once at start-up: a missing file, a half
 * client-certificate pair or an API key over plaintext in production fail here, not as an opaque gRPC error later.
 */
export function temporalSecurity(config: TemporalConnectionConfig): TemporalSecurity {
  const { TEMPORAL_TLS_CA_PATH: ca, TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: key } = config;
  const apiKey = config.TEMPORAL_API_KEY;
  const tlsSettings = Object.entries({
    TEMPORAL_TLS_CA_PATH: ca,
    TEMPORAL_TLS_CERT_PATH: cert,
    TEMPORAL_TLS_KEY_PATH: key,
    TEMPORAL_TLS_SERVER_NAME: config.TEMPORAL_TLS_SERVER_NAME,
  }).filter(([, value]) => value !== undefined);

  if (config.TEMPORAL_TLS === false) {
    if (tlsSettings.length > 0) {
      const names = tlsSettings.map(([name]) => name).join(', ');
      throw new TemporalSettingsError(`TEMPORAL_TLS=false contradicts ${names}: unset them or enable TLS`);
    }
    if (apiKey && config.NODE_ENV === 'production') {
      throw new TemporalSettingsError(
        'TEMPORAL_API_KEY must not be sent without TLS in production (TEMPORAL_TLS=false)',
      );
    }
    return apiKey ? { tls: false, apiKey } : {};
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new TemporalSettingsError(
      `TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS); only ${cert ? 'the certificate' : 'the key'} is set`,
    );
  }
  const useTls = config.TEMPORAL_TLS === true || tlsSettings.length > 0 || apiKey !== undefined;
  if (!useTls) return {};

  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  if (ca) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA_PATH', ca, 'CERTIFICATE');
  if (cert && key) {
    tls.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CERT_PATH', cert, 'CERTIFICATE'),
      key: readPem('TEMPORAL_TLS_KEY_PATH', key, 'PRIVATE KEY'),
    };
  }
  return apiKey ? { tls, apiKey } : { tls };
}

function readPem(variable: string, path: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): Buffer {
  let contents: Buffer;
  try {
    contents = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new TemporalSettingsError(`${variable}: cannot read ${path} (${reason})`);
  }
  // "-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----", ...
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(contents.toString('utf8'))) {
    throw new TemporalSettingsError(`${variable}: ${path} is not a PEM ${kind.toLowerCase()}`);
  }
  return contents;
}
