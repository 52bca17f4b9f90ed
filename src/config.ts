import { envSchema } from 'env-schema';
import Type, { type Static } from 'typebox';

/**
 * Every environment variable the processes read. Defaults suit `npm run dev` on one machine; each one's
 * `description` is what docs/configuration.md shows (`npm run docs:config` writes it). A bad value fails start-up
 * with a message naming the variable.
 */
const DEV_JWT_SECRET = 'dev-only-secret-change-me-please';

export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
    description:
      '`development`, `test` or `production`. Production refuses the default `JWT_SECRET` and never serves dev tokens.',
  }),
  HOST: Type.String({
    default: '127.0.0.1',
    description: 'Address the API listens on (`0.0.0.0` in the Docker image).',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'API port.' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`.' },
  ),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    default: 1_048_576,
    description: 'Largest request body (min 1024); larger gets 413.',
  }),

  TEMPORAL_ADDRESS: Type.String({ default: '127.0.0.1:7233', description: 'Temporal frontend (`host:port`).' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default', description: 'Temporal namespace of every workflow.' }),
  TEMPORAL_TASK_QUEUE: Type.String({
    default: 'powerstream',
    description: 'Task queue of the worker: every workflow and the I/O activities.',
  }),
  TEMPORAL_RANKING_TASK_QUEUE: Type.String({
    default: 'ranking',
    description: 'Task queue of the ranking worker: feed refresh and batch-scoring activities (ONNX).',
  }),
  TEMPORAL_UI_URL: Type.String({
    default: 'http://127.0.0.1:8233',
    description: "Where the Temporal UI is; `npm run dev` starts the dev server's UI on this port and prints it.",
  }),
  TEMPORAL_TLS: Type.Optional(
    Type.Boolean({
      description:
        'TLS to the Temporal frontend (Temporal Cloud, a secured cluster); implied by any `TEMPORAL_TLS_*` path or API key.',
    }),
  ),
  TEMPORAL_TLS_CA_PATH: Type.Optional(
    Type.String({
      minLength: 1,
      description: "PEM file of the CA that signed the frontend's certificate; unset trusts the system roots.",
    }),
  ),
  TEMPORAL_TLS_CERT_PATH: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "PEM client certificate for mTLS (Temporal Cloud's certificate auth); set with the key or not at all.",
    }),
  ),
  TEMPORAL_TLS_KEY_PATH: Type.Optional(
    Type.String({ minLength: 1, description: 'PEM key of `TEMPORAL_TLS_CERT_PATH`; both or neither.' }),
  ),
  TEMPORAL_TLS_SERVER_NAME: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Server name to verify in the frontend's certificate, when it differs from `TEMPORAL_ADDRESS`'s host.",
    }),
  ),
  TEMPORAL_API_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Temporal Cloud API key (sent as a bearer token); needs TLS, which it turns on unless `TEMPORAL_TLS=false`.',
    }),
  ),

  WORKER_HOST: Type.String({
    default: '127.0.0.1',
    description: "Address of the worker's operations endpoint: `GET /health`, `/ready` and `/metrics` (Prometheus).",
  }),
  WORKER_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 9464,
    description: "Port of the worker's operations endpoint.",
  }),
  /** A workflow not in the cache replays its whole history for its next task; size the cache to the active set. */
  WORKER_MAX_CACHED_WORKFLOWS: Type.Integer({
    minimum: 256,
    default: 2_000,
    description:
      'Workflows a worker keeps in memory between their tasks (min 256); one not kept replays its history for its next task. Size it to the entities active at once, as memory allows.',
  }),

  MONGO_URL: Type.String({
    pattern: '^mongodb(\\+srv)?://',
    default: 'mongodb://127.0.0.1:27017',
    description: 'MongoDB (or FerretDB) URL; must start with `mongodb://` or `mongodb+srv://`.',
  }),
  MONGO_DB: Type.String({
    pattern: '^[A-Za-z0-9_-]{1,60}$',
    default: 'powerstream',
    description: 'Database name (`A-Z a-z 0-9 _ -`, up to 60).',
  }),
  MONGO_MAX_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 500,
    default: 20,
    description:
      'Connections one process opens to the document store at most. Against the embedded FerretDB every process together must stay below its PostgreSQL pool (150), or concurrent updates deadlock it (docs/store.md).',
  }),
  MONGO_BACKEND: Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        'What the FerretDB at `MONGO_URL` stores into (e.g. `PostgreSQL 15.14`), shown by `/ready`; informational, set by the launcher when it starts FerretDB, unset against a real MongoDB.',
    }),
  ),
  POSTGRES_PORT: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      description:
        'Launcher only: the port of the PostgreSQL it starts behind FerretDB ([store](store.md)); a free port when unset.',
    }),
  ),
  REDIS_URL: Type.String({
    pattern: '^rediss?://',
    default: 'redis://127.0.0.1:6379',
    description: 'Redis URL (`redis://` or `rediss://`).',
  }),
  REDIS_KEY_PREFIX: Type.String({
    default: 'ps:',
    description: 'Prefix of every Redis key (several deployments or test files can share one Redis).',
  }),

  JWT_SECRET: Type.String({
    minLength: 16,
    default: DEV_JWT_SECRET,
    description: 'HS256 secret for bearer tokens (min 16 characters). Must be set in production.',
  }),
  JWT_JWKS_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'Also accept RS/ES/PS-signed tokens whose key is published at this JWKS URL (`http(s)://`).',
    }),
  ),
  JWT_ISSUER: Type.Optional(
    Type.String({ description: 'When set, tokens must carry this `iss`, and minted dev tokens carry it.' }),
  ),
  DEV_TOKENS: Type.Boolean({
    default: false,
    description:
      'Serve `POST /api/v1/dev/tokens` (never in production). `npm run dev` sets it to `true` unless you set it.',
  }),

  RATE_LIMIT_MAX: Type.Integer({
    minimum: 1,
    default: 300,
    description: 'Requests per window per caller (user id, else client IP); a route may set its own limit.',
  }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 100, default: 60_000, description: 'Rate-limit window (min 100).' }),
  RATE_LIMIT_SYNC_MS: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 200,
    description:
      "How often a process sends its callers' spends on the default limit to Redis (0–10000; 0: every request waits for Redis); see [decision 0006](decisions/0006-rate-limit-counted-per-process.md).",
  }),

  CORS_ORIGINS: Type.String({
    default: '',
    description:
      'Browser origins allowed to call the API, comma-separated, each `scheme://host[:port]` ([client](client.md)); empty: no cross-origin browser access.',
  }),
  TRUST_PROXY: Type.String({
    default: '',
    description:
      'Proxies in front of the API whose `X-Forwarded-For` is believed, so rate limits and logs see the real client: comma-separated IPs or CIDRs (`10.0.0.0/8,127.0.0.1`), or a hop count (`1`); empty: trust none.',
  }),
  LIVE_MAX_STREAMS_PER_USER: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 5,
    description: 'Live updates ([live](live.md)): open streams one user may hold on one API instance (tabs, devices).',
  }),
  LIVE_HEARTBEAT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 15_000,
    description: 'Live updates: a comment line every this many ms keeps proxies from closing an idle stream.',
  }),
  LIVE_MAX_BUFFERED_BYTES: Type.Integer({
    minimum: 1_024,
    default: 1_048_576,
    description:
      'Live updates: bytes a slow client may leave unread before its stream is closed (it resumes by `Last-Event-ID`).',
  }),

  RELAY_INTERVAL_MS: Type.Integer({
    minimum: 10,
    default: 200,
    description: 'How often the event relay looks for new outbox entries while it finds none (min 10).',
  }),
  /**
   * Many pending entries are what make the relay pay: a user's parts from every pending entry go out in one signal.
   * 200 entries (≤ 200k events) bound what a relay holds in memory.
   */
  RELAY_ENTRIES_PER_ROUND: Type.Integer({
    minimum: 1,
    maximum: 1_000,
    default: 200,
    description:
      'Outbox entries (one ingest request each, ≤ 1000 events) a relay holds leased and undelivered at once, and takes per round in `redrive-outbox` (1–1000); more mean more events per signal.',
  }),

  INTEREST_HALF_LIFE_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 168,
    description: 'Half-life of topic interest: a week-old signal counts half.',
  }),
  INTEREST_IDLE_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 30,
    description:
      'A user-interest workflow with no events this long persists and completes; the next event recreates it from the read model.',
  }),
  INTEREST_TICK_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 6,
    description: 'How often a live but quiet profile is decayed and re-persisted.',
  }),
  INTEREST_TOP_K: Type.Integer({
    minimum: 1,
    maximum: 500,
    default: 50,
    description: 'Topics kept per profile (1–500).',
  }),
  INTEREST_PERSIST_DEBOUNCE_MS: Type.Integer({
    minimum: 0,
    default: 2_000,
    description: 'Events apply at once; the profile read model is written at most this often.',
  }),
  INTEREST_EVENTS_PER_RUN: Type.Integer({
    minimum: 10,
    default: 2_000,
    description: "Continue-as-new after this many applied events (min 10), far below Temporal's history limits.",
  }),
  OUTBOX_STALE_MS: Type.Integer({
    minimum: 1_000,
    default: 60_000,
    description:
      'An outbox entry whose request never finished is relayed after this long (min 1000); see [architecture](architecture.md#the-event-relay).',
  }),
  /** Renewed every third of itself while a relay delivers; only a relay that stalls longer can lose its entries. */
  RELAY_LEASE_MS: Type.Integer({
    minimum: 1_000,
    default: 15_000,
    description:
      'How long a relay holds the outbox entries it leased, unless it renews the lease, before another relay may take them over (min 1000); see [events](events.md).',
  }),

  HANDLE_RENAME_COOLDOWN_DAYS: Type.Number({
    minimum: 0,
    default: 30,
    description: 'After a rename the old handle stays reserved and redirects (307) for this long.',
  }),
  HANDLE_RENAME_LIMIT: Type.Integer({
    minimum: 1,
    default: 3,
    description:
      'Handle renames per identity per `HANDLE_RENAME_PERIOD_DAYS` (min 1); taking back a reserved old handle is free.',
  }),
  HANDLE_RENAME_PERIOD_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 30,
    description: 'Window of `HANDLE_RENAME_LIMIT`.',
  }),
  IDEMPOTENCY_TTL_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 24,
    description:
      'A reply stored under an `Idempotency-Key` is replayed for this long, then the key runs the request again.',
  }),
  IDEMPOTENCY_WAIT_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 5_000,
    description:
      'A repeat arriving while the first request with its key still runs waits this long for its reply (0–60000), then gets 409 `request-in-progress`.',
  }),
  ONBOARDING_REMINDER_QUIET_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 24,
    description: 'A reminder goes out after an onboarding step has been idle this long.',
  }),
  ONBOARDING_MAX_REMINDERS_PER_STEP: Type.Integer({
    minimum: 0,
    maximum: 10,
    default: 2,
    description: 'Reminders per onboarding step (0–10).',
  }),
  VERIFICATION_DEADLINE_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 72,
    description: 'Time operators have to decide a verification request before it is escalated.',
  }),
  VERIFICATION_ESCALATION_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 48,
    description: 'Time an escalated request stays open before it expires.',
  }),

  CREATOR_IDLE_DAYS: Type.Number({
    minimum: 1,
    default: 7,
    description:
      'A creator-stats workflow with no deltas this long completes (min 1); the next delta recreates it from the read model.',
  }),
  CREATOR_PERSIST_DEBOUNCE_MS: Type.Integer({
    minimum: 0,
    default: 2_000,
    description: 'Creator stats and leaderboards are published at most this often.',
  }),
  CREATOR_PARTS_PER_RUN: Type.Integer({
    minimum: 10,
    default: 1_000,
    description: 'Continue-as-new after this many applied metric parts (min 10).',
  }),

  STATION_KEEP_FINISHED: Type.Integer({
    minimum: 0,
    maximum: 200,
    default: 20,
    description: 'Finished shows a TV-station workflow keeps in its state (0–200).',
  }),
  STATION_IDLE_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 7,
    description:
      "A TV-station workflow with nothing scheduled and no change or show this long (counted from the last show's end) completes.",
  }),
  STATION_MAX_HISTORY_EVENTS: Type.Integer({
    minimum: 100,
    default: 2_000,
    description: 'A TV-station workflow continues-as-new past this history length (min 100).',
  }),
  NOTIFY_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 5_000,
    default: 500,
    description: 'Followers notified per activity call when a show goes live (1–5000).',
  }),
  VIEWER_TIMEOUT_MS: Type.Integer({
    minimum: 1_000,
    default: 45_000,
    description: 'A viewer without a heartbeat for this long no longer counts as watching (min 1000).',
  }),

  BRAIN_CONFIRMATION_SECONDS: Type.Integer({
    minimum: 5,
    maximum: 86_400,
    default: 120,
    description:
      "How long a brain command waits for the user's yes on a step that needs one (5–86400) before it expires.",
  }),

  RANKING_MODEL_PATH: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'The ONNX ranker: a `.onnx` file pins that model; a directory is a model registry whose promoted version serves and is swapped without a restart ([learning loop](learning-loop.md)); unset is the registry `models/registry`, else the committed `models/ranker.onnx`. A missing or mismatched model makes the rule-based fallback serve (logged and counted).',
    }),
  ),
  MODEL_CANDIDATE_SHARE: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0,
    description:
      "Share of users (by a stable hash of the user id) whose online feed the registry's candidate model ranks.",
  }),
  MODEL_SPLIT_SALT: Type.String({
    minLength: 1,
    maxLength: 100,
    default: 'split-1',
    description:
      'Salt of the user hash of the traffic split: a new value reshuffles users between current and candidate.',
  }),
  IMPRESSION_SAMPLE_RATE: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 1,
    description: 'Share of users whose served feed pages are logged as impressions (by a stable hash of the user id).',
  }),
  IMPRESSION_STREAM_MAX_LEN: Type.Integer({
    minimum: 1_000,
    default: 500_000,
    description:
      'Approximate cap of the Redis impression stream: a stalled drain drops the oldest impressions beyond it.',
  }),
  IMPRESSION_TTL_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 30,
    description: 'How long impressions stay in MongoDB (TTL index); the labelled rows joined from them are kept.',
  }),
  LEARNING_SCHEDULE_ID: Type.String({
    pattern: '^[A-Za-z0-9_.:-]{1,100}$',
    default: 'learning-loop',
    description:
      'Id of the learning-loop schedule (drain impressions, join feedback): give each deployment sharing a Temporal namespace its own.',
  }),
  LEARNING_INTERVAL_MINUTES: Type.Number({
    exclusiveMinimum: 0,
    default: 5,
    description: 'Interval of the learning-loop schedule.',
  }),
  FEEDBACK_WINDOW_MINUTES: Type.Number({
    exclusiveMinimum: 0,
    default: 60,
    description:
      'An engagement counts for an impression when it comes within this many minutes after the page was shown.',
  }),
  FEED_TTL_SECONDS: Type.Integer({
    minimum: 10,
    default: 7_200,
    description: 'Lifetime of a precomputed feed in Redis (min 10).',
  }),
  FEED_REFRESH_SHIFT: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.3,
    description:
      "Shift of a user's top topics (0–1) since the last refresh that makes the interest workflow ask for a feed refresh.",
  }),
  CACHE_REBUILD_WAIT_MS: Type.Integer({
    minimum: 0,
    default: 30_000,
    description:
      'How long `POST /api/v1/cache/rebuild` waits for a rebuild already running (one at a time, across API processes and the ops CLI) before answering 409.',
  }),
  FEED_REFRESH_MIN_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 600_000,
    description: 'At most one feed refresh per user per this interval.',
  }),
  BATCH_SCORING_SCHEDULE_ID: Type.String({
    pattern: '^[A-Za-z0-9_.:-]{1,100}$',
    default: 'batch-scoring',
    description:
      "Id of the batch-scoring schedule, and prefix of its runs' workflow ids: give each deployment sharing a Temporal namespace its own.",
  }),
  BATCH_SCORING_INTERVAL_MINUTES: Type.Number({
    exclusiveMinimum: 0,
    default: 60,
    description: 'Interval of the batch-scoring schedule (applied to the schedule at worker start).',
  }),
  BATCH_SCORING_ACTIVE_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 7,
    description: 'Batch scoring covers users with an event in this many days.',
  }),
  BATCH_SCORING_PAGE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 500,
    description: 'Users per batch-scoring page (one heartbeating activity each, 1–10000).',
  }),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  if (config.JWT_SECRET === DEV_JWT_SECRET && config.NODE_ENV === 'production') {
    throw new Error('JWT_SECRET must be set in production (the default secret is public)');
  }
  return config;
}
