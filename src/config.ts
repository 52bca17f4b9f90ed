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

  /** The ONNX ranker; a missing or mismatched file makes the rule-based fallback serve (flagged, counted). */
  RANKING_MODEL_PATH: Type.Optional(Type.String({ minLength: 1 })),
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
