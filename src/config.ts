import { envSchema } from 'env-schema';
import Type, { type Static } from 'typebox';

/**
 * Every environment variable the processes read. Defaults suit `npm run dev` on one machine;
 * the README documents each one. A bad value fails start-up with a message naming the variable.
 */
const DEV_JWT_SECRET = 'dev-only-secret-change-me-please';

const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),

  TEMPORAL_ADDRESS: Type.String({ default: '127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ default: 'powerstream' }),
  TEMPORAL_RANKING_TASK_QUEUE: Type.String({ default: 'ranking' }),
  TEMPORAL_UI_URL: Type.String({ default: 'http://127.0.0.1:8233' }),
  /** TLS to the Temporal frontend (Temporal Cloud, a secured cluster); implied by any TEMPORAL_TLS_* path or API key. */
  TEMPORAL_TLS: Type.Optional(Type.Boolean()),
  /** PEM file of the CA that signed the frontend's certificate; unset trusts the system roots. */
  TEMPORAL_TLS_CA_PATH: Type.Optional(Type.String({ minLength: 1 })),
  /** PEM client certificate and key for mTLS (Temporal Cloud's certificate auth); both or neither. */
  TEMPORAL_TLS_CERT_PATH: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_TLS_KEY_PATH: Type.Optional(Type.String({ minLength: 1 })),
  /** Server name to verify in the frontend's certificate, when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: Type.Optional(Type.String({ minLength: 1 })),
  /** Temporal Cloud API key (sent as a bearer token); needs TLS, which it turns on unless TEMPORAL_TLS=false. */
  TEMPORAL_API_KEY: Type.Optional(Type.String({ minLength: 1 })),

  /** The worker's operations endpoint: GET /health, /ready and /metrics (Prometheus). */
  WORKER_HOST: Type.String({ default: '127.0.0.1' }),
  WORKER_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9464 }),

  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: 'mongodb://127.0.0.1:27017' }),
  MONGO_DB: Type.String({ pattern: '^[A-Za-z0-9_-]{1,60}$', default: 'powerstream' }),
  /**
   * What the FerretDB at MONGO_URL stores into (e.g. "PostgreSQL 15.14"), shown by /ready. Informational only; the
   * launcher (npm run dev / services / test) sets it when it starts FerretDB. Unset against a real MongoDB.
   */
  MONGO_BACKEND: Type.Optional(Type.String({ maxLength: 100 })),
  /** Launcher only: the port of the PostgreSQL it starts behind FerretDB (docs/store.md); a free port when unset. */
  POSTGRES_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  REDIS_KEY_PREFIX: Type.String({ default: 'ps:' }),

  JWT_SECRET: Type.String({ minLength: 16, default: DEV_JWT_SECRET }),
  JWT_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  JWT_ISSUER: Type.Optional(Type.String()),
  DEV_TOKENS: Type.Boolean({ default: false }),

  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 300 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  /** How often a process's spends on the default per-caller budget reach Redis; 0 = every request waits for Redis. */
  RATE_LIMIT_SYNC_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 200 }),

  /**
   * Browser origins allowed to call the API (CORS), comma-separated, each `scheme://host[:port]` (docs/client.md);
   * empty: no cross-origin browser access. Checked at start-up by src/api/deployment-settings.ts.
   */
  CORS_ORIGINS: Type.String({ default: '' }),
  /**
   * Proxies in front of the API whose X-Forwarded-For is believed, so rate limits and logs see the real client:
   * comma-separated IPs or CIDRs (e.g. `10.0.0.0/8,127.0.0.1`), or a hop count (`1`); empty: trust none.
   */
  TRUST_PROXY: Type.String({ default: '' }),
  /** Live updates (docs/live.md): open streams one user may hold on one API instance (tabs, devices). */
  LIVE_MAX_STREAMS_PER_USER: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  /** Live updates: a comment line every this many ms keeps proxies from closing an idle stream. */
  LIVE_HEARTBEAT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 15_000 }),
  /** Live updates: bytes a slow client may leave unread before its stream is closed (it resumes by Last-Event-ID). */
  LIVE_MAX_BUFFERED_BYTES: Type.Integer({ minimum: 1_024, default: 1_048_576 }),

  RELAY_INTERVAL_MS: Type.Integer({ minimum: 10, default: 200 }),
  /**
   * Outbox entries (each one ingest request, ≤ 1000 events) the relay takes per round. Large rounds are what make
   * the relay pay: events per signal = a round's events / its distinct users, and a round costs one read of the
   * events by batchId (a collection scan on FerretDB). 200 entries (≤ 200k events) drain a backlog in few rounds.
   */
  RELAY_ENTRIES_PER_ROUND: Type.Integer({ minimum: 1, maximum: 1_000, default: 200 }),

  INTEREST_HALF_LIFE_HOURS: Type.Number({ exclusiveMinimum: 0, default: 168 }),
  INTEREST_IDLE_DAYS: Type.Number({ exclusiveMinimum: 0, default: 30 }),
  INTEREST_TICK_HOURS: Type.Number({ exclusiveMinimum: 0, default: 6 }),
  INTEREST_TOP_K: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  INTEREST_PERSIST_DEBOUNCE_MS: Type.Integer({ minimum: 0, default: 2_000 }),
  INTEREST_EVENTS_PER_RUN: Type.Integer({ minimum: 10, default: 2_000 }),
  OUTBOX_STALE_MS: Type.Integer({ minimum: 1_000, default: 60_000 }),
  /**
   * How long a relay holds the outbox entries of one round before another relay may take them over (a relay that
   * died). Longer than a round takes; a round that overruns it may be signalled twice, which the workflows drop.
   */
  RELAY_LEASE_MS: Type.Integer({ minimum: 1_000, default: 15_000 }),

  HANDLE_RENAME_COOLDOWN_DAYS: Type.Number({ minimum: 0, default: 30 }),
  HANDLE_RENAME_LIMIT: Type.Integer({
    minimum: 1,
    default: 3,
    description: 'Renames per identity per HANDLE_RENAME_PERIOD_DAYS (taking back a reserved old handle is free)',
  }),
  HANDLE_RENAME_PERIOD_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 30,
    description: 'Window of HANDLE_RENAME_LIMIT',
  }),
  IDEMPOTENCY_TTL_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24 }),
  IDEMPOTENCY_WAIT_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 5_000 }),
  ONBOARDING_REMINDER_QUIET_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24 }),
  ONBOARDING_MAX_REMINDERS_PER_STEP: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
  VERIFICATION_DEADLINE_HOURS: Type.Number({ exclusiveMinimum: 0, default: 72 }),
  VERIFICATION_ESCALATION_HOURS: Type.Number({ exclusiveMinimum: 0, default: 48 }),

  CREATOR_IDLE_DAYS: Type.Number({ minimum: 1, default: 7 }),
  CREATOR_PERSIST_DEBOUNCE_MS: Type.Integer({ minimum: 0, default: 2_000 }),
  CREATOR_PARTS_PER_RUN: Type.Integer({ minimum: 10, default: 1_000 }),

  STATION_KEEP_FINISHED: Type.Integer({ minimum: 0, maximum: 200, default: 20 }),
  STATION_IDLE_DAYS: Type.Number({ exclusiveMinimum: 0, default: 7 }),
  STATION_MAX_HISTORY_EVENTS: Type.Integer({ minimum: 100, default: 2_000 }),
  NOTIFY_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 5_000, default: 500 }),
  VIEWER_TIMEOUT_MS: Type.Integer({ minimum: 1_000, default: 45_000 }),

  BRAIN_CONFIRMATION_SECONDS: Type.Integer({ minimum: 5, maximum: 86_400, default: 120 }),

  /**
   * The ONNX ranker: a .onnx file pins that model; a directory is a model registry whose promoted version serves and
   * is swapped without a restart (docs/learning-loop.md); unset is the registry models/registry, else the committed
   * models/ranker.onnx. A missing or mismatched model makes the rule-based fallback serve (flagged, counted).
   */
  RANKING_MODEL_PATH: Type.Optional(Type.String({ minLength: 1 })),
  /** Share of users (by a stable hash of the user id) whose online feed the registry's candidate model ranks. */
  MODEL_CANDIDATE_SHARE: Type.Number({ minimum: 0, maximum: 1, default: 0 }),
  /** Salt of the user hash of the traffic split: a new value reshuffles users between current and candidate. */
  MODEL_SPLIT_SALT: Type.String({ minLength: 1, maxLength: 100, default: 'split-1' }),
  /** Share of users whose served feed pages are logged as impressions (by a stable hash of the user id). */
  IMPRESSION_SAMPLE_RATE: Type.Number({ minimum: 0, maximum: 1, default: 1 }),
  /** Approximate cap of the Redis impression stream: a stalled drain drops the oldest impressions beyond it. */
  IMPRESSION_STREAM_MAX_LEN: Type.Integer({ minimum: 1_000, default: 500_000 }),
  /** How long impressions stay in MongoDB (TTL index); the labelled rows joined from them are kept. */
  IMPRESSION_TTL_DAYS: Type.Number({ exclusiveMinimum: 0, default: 30 }),
  /** The learning-loop schedule (drain impressions, join feedback): its id, unique per deployment, and interval. */
  LEARNING_SCHEDULE_ID: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', default: 'learning-loop' }),
  LEARNING_INTERVAL_MINUTES: Type.Number({ exclusiveMinimum: 0, default: 5 }),
  /** An engagement counts for an impression when it comes within this many minutes after the page was shown. */
  FEEDBACK_WINDOW_MINUTES: Type.Number({ exclusiveMinimum: 0, default: 60 }),
  FEED_TTL_SECONDS: Type.Integer({ minimum: 10, default: 7_200 }),
  /** topicShift (0..1) of the top topics since the last refresh that makes the interest workflow ask for one. */
  FEED_REFRESH_SHIFT: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
  FEED_REFRESH_MIN_INTERVAL_MS: Type.Integer({ minimum: 0, default: 600_000 }),
  /** The schedule's id (and its runs' workflow id prefix): unique per deployment within a Temporal namespace. */
  BATCH_SCORING_SCHEDULE_ID: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', default: 'batch-scoring' }),
  BATCH_SCORING_INTERVAL_MINUTES: Type.Number({ exclusiveMinimum: 0, default: 60 }),
  BATCH_SCORING_ACTIVE_DAYS: Type.Number({ exclusiveMinimum: 0, default: 7 }),
  BATCH_SCORING_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  if (config.JWT_SECRET === DEV_JWT_SECRET && config.NODE_ENV === 'production') {
    throw new Error('JWT_SECRET must be set in production (the default secret is public)');
  }
  return config;
}
