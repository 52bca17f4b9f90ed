import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import { createDevTokenSigner } from '../../src/api/token-signer.js';
import { loadConfig, type Config } from '../../src/config.js';
import { ensureServices, type RunningServices, type ServiceName } from '../../src/dev/services.js';
import { creditedCreator, ONCE_PER_ITEM, sumCreatorDeltas } from '../../src/domain/creator-events.js';
import { emptyCounters, type MetricCounters } from '../../src/domain/creator-metrics.js';
import type { EngagementType } from '../../src/domain/engagement.js';
import { contentCollection, type ContentDoc } from '../../src/store/content.js';
import { creatorStatsCollection } from '../../src/store/creator-stats.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { getStatsQuery } from '../../workflows/creator-stats/messages.js';
import { workflowIds } from '../../workflows/ids.js';
import { envOf, freeLoopbackPort, startProcess, waitForOk, type StartedProcess } from './processes.js';
import pMap from 'p-map';

/**
 * The chaos scenario of issue 14 (docs/testing.md#chaos-suite): events posted through REST to a real API process
 * while it is SIGKILLed mid-request, the worker processes are SIGKILLed, FerretDB (with its PostgreSQL) and the
 * Temporal dev server restart on their data, and Redis is flushed. Then, once everything is quiet, every interest
 * profile's appliedEvents and every creator's counters are read from MongoDB beside what the API accepted.
 *
 * The client is what a well-behaved app does: a request cut without an answer (or answered 5xx/429) is sent again
 * with the same eventIds, so the API's per-user dedup is what keeps a retried event from counting twice.
 */
export interface ChaosOptions {
  users: number;
  eventsPerUser: number;
  creators: number;
  itemsPerCreator: number;
  /** Events per request. */
  batch: number;
  /** Requests the client keeps in flight. */
  inFlight: number;
  workers: number;
  /** false: the same load without faults, the baseline the bench compares with. */
  faults: boolean;
  /** Progress lines, each with the time since the start (the bench prints them, the test keeps them as diagnostics). */
  log?: (line: string) => void;
  /** No progress towards quiet for this long fails the run instead of waiting for ever. */
  stallMs?: number;
}

export interface ChaosFaults {
  apiKills: number;
  /** API requests in flight at the moment of an API SIGKILL, summed over the kills. */
  inFlightAtApiKill: number;
  workerKills: number;
  restarts: Partial<Record<ServiceName, number>>;
  redisFlushes: number;
  /** Worker or API processes that exited without being killed (a supervisor starts them again). */
  unplannedExits: number;
  /** For each unplanned exit: which process, its exit code and the end of its output. */
  unplannedExitDetails: string[];
}

export interface ChaosResult {
  events: number;
  /** Distinct events the API answered 202 for (first sends and retries together). */
  accepted: number;
  rejected: number;
  /** Requests that got no answer (cut by a kill or a dropped connection) and were sent again. */
  cutRequests: number;
  /** Every request sent again, whatever the reason (cut, refused, 5xx, 429). */
  retries: number;
  faults: ChaosFaults;
  postingMs: number;
  /** From the first request until every read model holds its final value. */
  endToEndMs: number;
  /** From the end of the last fault until quiet. */
  quietAfterLastFaultMs: number;
  workerPeakRssBytes: number;
  expected: { profiles: Record<string, number>; creators: Record<string, MetricCounters> };
  actual: { profiles: Record<string, number>; creators: Record<string, MetricCounters> };
  /** Users and creators whose read model differs from what was accepted. */
  mismatches: string[];
}

interface ChaosEvent {
  eventId: string;
  userId: string;
  type: EngagementType;
  contentId: string;
  value?: number;
  occurredAt: string;
}

const TYPES: EngagementType[] = ['view', 'view', 'view', 'watch_time', 'like', 'like', 'share', 'comment', 'skip'];
const IDLE_SECONDS = 4;
/** Faults in Cluster.faultSchedule, known before anything starts so that a run too small for them fails at once. */
const FAULT_COUNT = 7;
const DEFAULT_STALL_MS = 180_000;
/** Workflows described or queried at once while waiting for quiet. */
const CHECK_CONCURRENCY = 16;

export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const began = Date.now();
  const log = (line: string): void => opts.log?.(`${((Date.now() - began) / 1000).toFixed(1).padStart(6)} s ${line}`);
  // A fault lands a third into its slice of the batches, and requests must still be in flight after it.
  const perSlice = Math.ceil(Math.ceil((opts.users * opts.eventsPerUser) / opts.batch) / (FAULT_COUNT + 1));
  if (opts.faults && perSlice < 2 * opts.inFlight) {
    throw new Error(`${perSlice} batches between faults is too few: make the batch smaller or the run larger`);
  }
  const services = await ensureServices({ mode: 'test', keepTemporalData: true, stopOnSignal: true });
  const cluster = new Cluster(services, opts);
  try {
    return await cluster.run(log);
  } finally {
    await cluster.close();
    await services.stop();
  }
}

class Cluster {
  readonly config: Config;
  private api: StartedProcess | undefined;
  private apiPort = 0;
  /** Each worker with the port of its operations endpoint (/ready says it polls Temporal and relays). */
  private readonly workers: Array<{ process: StartedProcess; port: number }> = [];
  /** Processes this harness killed or stopped on purpose; any other exit counts as unplanned. */
  private readonly killed = new WeakSet<StartedProcess>();
  private closing = false;
  private mongo: MongoStore | undefined;
  private temporal: TemporalClient | undefined;
  private peakRss = 0;
  private rssTimer: NodeJS.Timeout | undefined;
  readonly faults: ChaosFaults = {
    apiKills: 0,
    inFlightAtApiKill: 0,
    workerKills: 0,
    restarts: {},
    redisFlushes: 0,
    unplannedExits: 0,
    unplannedExitDetails: [],
  };

  constructor(
    private readonly services: RunningServices,
    private readonly opts: ChaosOptions,
  ) {
    this.config = loadConfig({
      ...process.env,
      ...services.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      MONGO_DB: 'chaos',
      REDIS_KEY_PREFIX: 'chaos:',
      TEMPORAL_TASK_QUEUE: 'chaos',
      TEMPORAL_RANKING_TASK_QUEUE: 'chaos-ranking',
      RATE_LIMIT_MAX: String(1e9),
      RELAY_INTERVAL_MS: '50',
      INTEREST_PERSIST_DEBOUNCE_MS: '200',
      CREATOR_PERSIST_DEBOUNCE_MS: '200',
      // Users go idle and complete soon after their last event: a completed run is a final read model.
      INTEREST_IDLE_DAYS: String(IDLE_SECONDS / 86_400),
      // Entries of requests cut by a kill are relayed after this; leases of killed relays expire after that.
      OUTBOX_STALE_MS: '8000',
      RELAY_LEASE_MS: '4000',
    });
  }

  async run(log: (line: string) => void): Promise<ChaosResult> {
    const { opts } = this;
    process.once('exit', this.killChildren);
    this.mongo = await connectMongo(this.config);
    await ensureIndexes(this.mongo.db);
    this.temporal = await connectTemporal(this.config);
    const catalog = await this.seedCatalog();
    const events = planEvents(opts, [...catalog.keys()]);

    this.apiPort = await freeLoopbackPort();
    this.startApi();
    for (let i = 0; i < opts.workers; i++) await this.startWorker(i);
    this.rssTimer = setInterval(() => this.sampleRss(), 1000);
    await waitForOk(this.apiUrl('/health'), this.api!);
    for (let i = 0; i < opts.workers; i++) await this.waitForWorker(i);

    const signer = await createDevTokenSigner(this.config);
    const client = new EventClient(
      this.apiUrl('/api/v1/events'),
      `Bearer ${signer.sign('chaos-producer', ['service'])}`,
      opts.stallMs ?? DEFAULT_STALL_MS,
    );
    await signer.close();

    const schedule = opts.faults ? this.faultSchedule(client) : [];
    const slices = split(chunk(events, opts.batch), schedule.length + 1);
    log(`chaos: ${events.length} events, ${opts.users} users, ${catalog.size} items, ${schedule.length} faults`);
    const startedAt = Date.now();
    let lastFaultEndAt = startedAt;
    for (const [i, slice] of slices.entries()) {
      const fault = schedule[i];
      const posting = client.post(slice, opts.inFlight);
      if (fault) {
        // Into the slice a little, so the fault lands while requests are in flight and the workers are busy.
        await client.waitForSent(Math.ceil(slice.length / 3), posting);
        log(`  fault ${i + 1}/${schedule.length}: ${fault.name}`);
        await fault.run(posting);
        lastFaultEndAt = Date.now();
      }
      await posting;
    }
    const postingMs = Date.now() - startedAt;
    log(`  posted in ${(postingMs / 1000).toFixed(1)} s; waiting until quiet`);

    await this.waitUntilQuiet(
      events.map((e) => e.userId),
      [...new Set([...catalog.values()].map((c) => c.creatorId))],
      log,
    );
    const quietAt = Date.now();
    const result = await this.compare(client, catalog);
    return {
      ...result,
      events: events.length,
      rejected: client.rejected,
      cutRequests: client.cut,
      retries: client.retries,
      faults: this.faults,
      postingMs,
      endToEndMs: quietAt - startedAt,
      quietAfterLastFaultMs: quietAt - lastFaultEndAt,
      workerPeakRssBytes: this.peakRss,
    };
  }

  /**
   * The API killed mid-request, both workers killed in turn, Redis flushed, FerretDB and Temporal restarted, a worker
   * killed again. A kill does not wait for the new process (the client and the other worker carry on meanwhile); a
   * restart waits until every process is up first, since one that cannot start while a dependency is down exits by
   * design (a process manager starts it again), which would blur what is checked: running processes survive.
   */
  private faultSchedule(client: EventClient): Array<{ name: string; run: (posting: Promise<void>) => Promise<void> }> {
    const worker = (i: number) => ({ name: `SIGKILL worker ${i + 1}`, run: () => this.killWorker(i) });
    const restart = (name: ServiceName, label: string) => ({
      name: `restart ${label}`,
      run: async () => {
        await this.allUp();
        await this.services.restart(name);
        this.faults.restarts[name] = (this.faults.restarts[name] ?? 0) + 1;
      },
    });
    const schedule = [
      { name: 'SIGKILL the API mid-request', run: (posting: Promise<void>) => this.killApi(client, posting) },
      worker(0),
      worker(1 % this.opts.workers),
      { name: 'flush Redis', run: () => this.flushRedis() },
      restart('mongodb', 'FerretDB and PostgreSQL'),
      restart('temporal', 'the Temporal dev server'),
      worker(0),
    ];
    if (schedule.length !== FAULT_COUNT)
      throw new Error(`FAULT_COUNT is ${FAULT_COUNT}, the schedule has ${schedule.length}`);
    return schedule;
  }

  private async killApi(client: EventClient, posting: Promise<void>): Promise<void> {
    await client.waitForInFlight(posting);
    const api = this.api!;
    this.faults.inFlightAtApiKill += client.inFlight;
    this.killed.add(api);
    api.child.kill('SIGKILL');
    await api.stop();
    this.faults.apiKills++;
    this.startApi();
  }

  private async killWorker(i: number): Promise<void> {
    // A worker that is up and working, not one still bundling its workflows.
    await this.waitForWorker(i);
    const worker = this.workers[i]!.process;
    this.killed.add(worker);
    worker.child.kill('SIGKILL');
    await worker.stop();
    this.faults.workerKills++;
    await this.startWorker(i);
  }

  private async allUp(): Promise<void> {
    await Promise.all([
      waitForOk(this.apiUrl('/health'), this.api!),
      ...this.workers.map((_, i) => this.waitForWorker(i)),
    ]);
  }

  private async flushRedis(): Promise<void> {
    const redis = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 3 });
    try {
      await redis.flushall();
      this.faults.redisFlushes++;
    } finally {
      redis.disconnect();
    }
  }

  private startApi(): void {
    const api = startProcess(
      ['--import', 'tsx', 'src/api/server.ts'],
      envOf(this.config, { HOST: '127.0.0.1', PORT: String(this.apiPort) }),
    );
    this.api = api;
    api.child.once('exit', (code, signal) => {
      if (this.closing || this.killed.has(api)) return;
      this.recordUnplannedExit('api', code ?? signal, api);
      this.startApi();
    });
  }

  private async startWorker(i: number): Promise<void> {
    const port = await freeLoopbackPort();
    if (this.closing) return;
    const worker = startProcess(
      ['--import', 'tsx', 'src/worker/main.ts'],
      envOf(this.config, { WORKER_PORT: String(port) }),
    );
    this.workers[i] = { process: worker, port };
    // Like a process manager: a worker that dies on its own is started again (and counted).
    worker.child.once('exit', (code, signal) => {
      if (this.closing || this.killed.has(worker)) return;
      this.recordUnplannedExit(`worker ${i + 1}`, code ?? signal, worker);
      void this.startWorker(i);
    });
  }

  private recordUnplannedExit(name: string, how: number | string | null, process: StartedProcess): void {
    this.faults.unplannedExits++;
    const lastLines = [...process.lines.slice(-5).map((l) => JSON.stringify(l)), process.stderr().slice(-1500)];
    this.faults.unplannedExitDetails.push(`${name} exited (${how}):\n${lastLines.join('\n')}`);
  }

  /** Until worker i (whichever process holds that place now) answers /ready. */
  private async waitForWorker(i: number): Promise<void> {
    const deadline = Date.now() + (this.opts.stallMs ?? DEFAULT_STALL_MS);
    while (Date.now() < deadline) {
      const { port } = this.workers[i]!;
      if (
        await fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(200);
    }
    throw new Error(`worker ${i + 1} never answered /ready: ${this.workers[i]!.process.stderr().slice(-2000)}`);
  }

  private apiUrl(path: string): string {
    return `http://127.0.0.1:${this.apiPort}${path}`;
  }

  private sampleRss(): void {
    for (const worker of this.workers) {
      const pid = worker.process.child.pid;
      if (pid === undefined) continue;
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        this.peakRss = Math.max(this.peakRss, kb * 1024);
      } catch {
        // The worker just exited (or this is not Linux): no sample.
      }
    }
  }

  private async seedCatalog(): Promise<Map<string, ContentDoc>> {
    const items: ContentDoc[] = [];
    for (let c = 0; c < this.opts.creators; c++) {
      for (let k = 0; k < this.opts.itemsPerCreator; k++) {
        items.push({
          _id: `chaos-c${c}-i${k}`,
          creatorId: `chaos-c${c}`,
          title: `item ${k} of creator ${c}`,
          description: '',
          tags: [['music', 'sports', 'cooking', 'travel'][(c + k) % 4]!],
          type: 'video',
          topics: [['music', 'sports', 'cooking', 'travel'][(c + k) % 4]!],
          createdAt: new Date(),
        });
      }
    }
    await contentCollection(this.mongo!.db).insertMany(items);
    return new Map(items.map((item) => [item._id, item]));
  }

  /**
   * Quiet: nothing left in the outbox (every accepted event was signalled), every user's workflow completed when
   * idle (its last persist is its final read model), and every creator's published revision is its workflow's with
   * no part waiting. Each holds for good once the client has stopped, so checked ones are not checked again.
   */
  private async waitUntilQuiet(userIds: string[], creatorIds: string[], log: (line: string) => void): Promise<void> {
    const { db } = this.mongo!;
    const client = this.temporal!.client;
    const users = new Set(userIds);
    const creators = new Set(creatorIds);
    let outbox = Number.POSITIVE_INFINITY;
    let lastProgressAt = Date.now();
    let lastState = '';
    for (;;) {
      outbox = await outboxCollection(db)
        .countDocuments({})
        .catch(() => outbox);
      if (outbox === 0) {
        await pMap(
          [...users],
          async (userId) => {
            const status = await client.workflow
              .getHandle(workflowIds.userInterest(userId))
              .describe()
              .then((d) => d.status.name)
              .catch(() => 'unknown');
            if (status === 'COMPLETED') users.delete(userId);
          },
          { concurrency: CHECK_CONCURRENCY },
        );
        await pMap(
          [...creators],
          async (creatorId) => {
            if (await this.creatorSettled(creatorId)) creators.delete(creatorId);
          },
          { concurrency: CHECK_CONCURRENCY },
        );
      }
      const state = `outbox ${outbox}, users not idle ${users.size}, creators not settled ${creators.size}`;
      if (outbox === 0 && users.size === 0 && creators.size === 0) return;
      if (state !== lastState) {
        [lastState, lastProgressAt] = [state, Date.now()];
        log(`  ${state}`);
      }
      const stallMs = this.opts.stallMs ?? DEFAULT_STALL_MS;
      if (Date.now() - lastProgressAt > stallMs) {
        throw new Error(`No progress towards quiet for ${stallMs / 1000} s: ${state}`);
      }
      await sleep(1000);
    }
  }

  private async creatorSettled(creatorId: string): Promise<boolean> {
    const handle = this.temporal!.client.workflow.getHandle(workflowIds.creatorStats(creatorId));
    const description = await handle.describe().catch(() => null);
    // A creator nobody was credited for has no workflow; its counters are compared as zero.
    if (!description) return true;
    const view = await handle.query(getStatsQuery).catch(() => null);
    const doc = await creatorStatsCollection(this.mongo!.db)
      .findOne({ _id: creatorId }, { projection: { revision: 1 } })
      .catch(() => null);
    return view !== null && view.pendingParts === 0 && doc?.revision === view.revision;
  }

  private async compare(
    client: EventClient,
    catalog: ReadonlyMap<string, ContentDoc>,
  ): Promise<Pick<ChaosResult, 'accepted' | 'expected' | 'actual' | 'mismatches'>> {
    const accepted = [...client.accepted.values()];
    const expected = { profiles: expectedProfiles(accepted), creators: expectedCreators(accepted, catalog) };
    const { db } = this.mongo!;
    const profiles = await interestProfilesCollection(db)
      .find({ _id: { $in: Object.keys(expected.profiles) } }, { projection: { appliedEvents: 1 } })
      .toArray();
    const stats = await creatorStatsCollection(db)
      .find({}, { projection: { 'stats.totals': 1 } })
      .toArray();
    const creatorIds = new Set([...catalog.values()].map((c) => c.creatorId));
    const actual = {
      profiles: Object.fromEntries(profiles.map((p) => [p._id, p.appliedEvents])),
      creators: Object.fromEntries(
        [...creatorIds].map((id) => [id, stats.find((s) => s._id === id)?.stats.totals ?? emptyCounters()]),
      ),
    };
    const mismatches = [
      ...Object.keys(expected.profiles)
        .filter((u) => actual.profiles[u] !== expected.profiles[u])
        .map((u) => `user ${u}: ${actual.profiles[u] ?? 'no profile'} applied, ${expected.profiles[u]} accepted`),
      ...[...creatorIds]
        .filter((c) => !isDeepStrictEqual(actual.creators[c], expected.creators[c]))
        .map((c) => `creator ${c}: ${JSON.stringify(actual.creators[c])} ≠ ${JSON.stringify(expected.creators[c])}`),
    ];
    return { accepted: accepted.length, expected, actual, mismatches };
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.rssTimer);
    await Promise.all(this.children().map((p) => stopWithin(p, 15_000)));
    process.off('exit', this.killChildren);
    await Promise.allSettled([this.mongo?.client.close(), this.temporal?.connection.close()]);
  }

  private children(): StartedProcess[] {
    return [...(this.api ? [this.api] : []), ...this.workers.map((w) => w.process)];
  }

  /** If this process exits without close() (a signal stops the services and exits), the API and workers go too. */
  private readonly killChildren = (): void => {
    for (const child of this.children()) child.child.kill('SIGKILL');
  };
}

/**
 * Posts batches with a few requests in flight; a batch is sent again, unchanged, until it is answered 202. What the
 * 202 answers list as accepted is the truth the read models are compared with.
 */
class EventClient {
  /** Accepted events by `${userId}/${eventId}`. */
  readonly accepted = new Map<string, ChaosEvent>();
  rejected = 0;
  cut = 0;
  retries = 0;
  inFlight = 0;
  sent = 0;
  private lastAcceptedAt = Date.now();

  constructor(
    private readonly url: string,
    private readonly authorization: string,
    /** No 202 for this long ends the run with the last failure, instead of retrying for ever (a wedged store). */
    private readonly stallMs: number,
  ) {}

  async post(batches: ChaosEvent[][], concurrency: number): Promise<void> {
    await pMap(batches, (batch) => this.send(batch), { concurrency });
  }

  private async send(batch: ChaosEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        this.retries++;
        await sleep(Math.min(100 * 2 ** Math.min(attempt, 4), 1000));
      }
      this.inFlight++;
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
        signal: AbortSignal.timeout(30_000),
      })
        .then(async (res) => ({ status: res.status, body: await res.text() }))
        .catch((error: unknown) => error as Error)
        .finally(() => this.inFlight--);
      if (response instanceof Error) {
        // Refused: no API listens (it is restarting), so nothing was sent. Anything else was cut on its way.
        if (causeCode(response) !== 'ECONNREFUSED') this.cut++;
        this.checkStall(`${response.message} (${causeCode(response) ?? 'no code'})`);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        this.checkStall(`${response.status} ${response.body}`);
        continue;
      }
      if (response.status !== 202) throw new Error(`POST /events answered ${response.status}: ${response.body}`);
      const answer = JSON.parse(response.body) as { accepted: Array<{ index: number }>; rejected: unknown[] };
      for (const { index } of answer.accepted) {
        const event = batch[index]!;
        this.accepted.set(`${event.userId}/${event.eventId}`, event);
      }
      this.rejected += answer.rejected.length;
      this.sent++;
      this.lastAcceptedAt = Date.now();
      return;
    }
  }

  private checkStall(lastFailure: string): void {
    if (Date.now() - this.lastAcceptedAt <= this.stallMs) return;
    throw new Error(`No batch accepted for ${this.stallMs / 1000} s; last failure: ${lastFailure}`);
  }

  /** Until `count` batches were answered 202, or the posting ended. */
  async waitForSent(count: number, posting: Promise<void>): Promise<void> {
    const target = this.sent + count;
    let done = false;
    void posting.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done && this.sent < target) await sleep(20);
  }

  /** Until a request is in flight, or the posting ended (then the caller sees inFlight 0). */
  async waitForInFlight(posting: Promise<void>): Promise<void> {
    let done = false;
    void posting.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done && this.inFlight === 0) await sleep(1);
  }
}

/** SIGTERM, then SIGKILL if a draining process is still there after graceMs. */
async function stopWithin(process: StartedProcess, graceMs: number): Promise<void> {
  const timer = setTimeout(() => process.child.kill('SIGKILL'), graceMs);
  await process.stop();
  clearTimeout(timer);
}

function causeCode(error: Error): string | undefined {
  return (error.cause as { code?: string } | undefined)?.code;
}

/** A fixed-seed mix, so runs compare: each user's events spread over the whole stream, items of every creator. */
function planEvents(opts: ChaosOptions, itemIds: string[]): ChaosEvent[] {
  let seed = 14;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const occurredAt = new Date().toISOString();
  const perUser = new Array<number>(opts.users).fill(0);
  const events: ChaosEvent[] = [];
  for (let n = 0; n < opts.users * opts.eventsPerUser; n++) {
    const u = n % opts.users;
    const type = pick(TYPES);
    events.push({
      eventId: `e${perUser[u]!++}`,
      userId: `chaos-u${u}`,
      type,
      contentId: pick(itemIds),
      ...(type === 'watch_time' ? { value: 1 + Math.floor(random() * 600) } : {}),
      occurredAt,
    });
  }
  return events;
}

function expectedProfiles(accepted: ChaosEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of accepted) counts[e.userId] = (counts[e.userId] ?? 0) + 1;
  return counts;
}

/** The rules of docs/events.md applied to what was accepted: the catalog's creator, likes and shares once per item. */
function expectedCreators(
  accepted: ChaosEvent[],
  catalog: ReadonlyMap<string, ContentDoc>,
): Record<string, MetricCounters> {
  const onceSeen = new Set<string>();
  const counted = accepted.flatMap((e) => {
    const creatorId = creditedCreator(e, catalog);
    if (!creatorId) return [];
    const key = `${e.type}/${e.userId}/${e.contentId}`;
    if (ONCE_PER_ITEM.has(e.type)) {
      if (onceSeen.has(key)) return [];
      onceSeen.add(key);
    }
    return [{ creatorId, type: e.type, value: e.value }];
  });
  const sums = sumCreatorDeltas(counted);
  const creators = new Set([...catalog.values()].map((c) => c.creatorId));
  return Object.fromEntries([...creators].map((id) => [id, sums.get(id) ?? emptyCounters()]));
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** `items` in `parts` runs of (nearly) equal length, in order. */
function split<T>(items: T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}
