/**
 * Turns an events export and a content catalog into learning-to-rank data with the SAME feature code serving
 * uses (src/ranking/features.ts). Run: npx tsx models/build-dataset.ts --events F --content F [--out DIR]
 *
 * A query is one user session (see sessions.ts) with at least one positive item. Features use the state
 * replayed from events strictly before the session began (replay.ts), at the session's start time.
 * Split by time: the last --test-days are the held-out test (subsampled to --max-test-queries so it stays
 * small enough to commit, gzipped into --heldout), the --valid-days before it stop training early, the rest
 * trains. The fallback ranker's scores are written beside the features: it is one of the two baselines.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DAY_MS } from '../src/domain/decay.js';
import { fallbackScores } from '../src/ranking/fallback-ranker.js';
import { FEATURE_COUNT, userFeatures, writeFeatures } from '../src/ranking/features.js';
import { readCatalog, readEvents, SplitWriter } from './dataset-io.js';
import { readImpressions, skippedAbove } from './impressions-io.js';
import { PlatformReplay } from './replay.js';
import { queryRows, sessionize } from './sessions.js';
import { Random } from './sim-random.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '.tools/models-work/sim/events.jsonl' },
    content: { type: 'string', default: '.tools/models-work/sim/content.jsonl' },
    /** Optional: served pages (models/export-store.ts); shown-and-skipped items become negatives. */
    impressions: { type: 'string' },
    out: { type: 'string', default: '.tools/models-work/dataset' },
    heldout: { type: 'string', default: 'models/heldout' },
    seed: { type: 'string', default: '7' },
    'half-life-days': { type: 'string', default: '7' },
    'session-gap-minutes': { type: 'string', default: '30' },
    'test-days': { type: 'string', default: '4' },
    'valid-days': { type: 'string', default: '3' },
    negatives: { type: 'string', default: '30' },
    'test-negatives': { type: 'string', default: '100' },
    'max-test-queries': { type: 'string', default: '1200' },
  },
});
const num = (name: keyof typeof args) => Number(args[name]);

const catalog = readCatalog(args.content);
const { events, dropped } = readEvents(args.events);
const impressions = args.impressions ? readImpressions(args.impressions) : new Map();
let shownSkippedRows = 0;
/** Creator and topics of each held-out row, in row order: the diversity of a ranker's top 10 (not committed). */
const heldoutItems: [string, string[]][] = [];
const lastMs = events.at(-1)?.occurredAtMs ?? 0;
const testFromMs = (Math.floor(lastMs / DAY_MS) - num('test-days') + 1) * DAY_MS;
const validFromMs = testFromMs - num('valid-days') * DAY_MS;
const sessions = sessionize(events, catalog, num('session-gap-minutes') * 60_000)
  .filter((s) => s.items.some(({ label }) => label > 0))
  .sort((a, b) => a.startMs - b.startMs || (a.userId < b.userId ? -1 : 1));

// One random stream per split: how the training rows are drawn (their negatives) never moves the held-out rows,
// so the baselines' figures stay comparable between training runs on the same events.
const rngs = { train: new Random(num('seed')), valid: new Random(num('seed') + 1), test: new Random(num('seed') + 2) };
const testSessions = sessions.filter((s) => s.startMs >= testFromMs);
const keptTests = new Set(testSessions.map((s) => ({ s, key: rngs.test.uniform() })).sort((a, b) => a.key - b.key).slice(0, num('max-test-queries')).map(({ s }) => s)); // prettier-ignore

const splits = {
  train: new SplitWriter(FEATURE_COUNT),
  valid: new SplitWriter(FEATURE_COUNT),
  test: new SplitWriter(FEATURE_COUNT),
};
const released = [...catalog.values()].sort(
  (a, b) => a.createdAtMs - b.createdAtMs || (a.contentId < b.contentId ? -1 : 1),
);
const replay = new PlatformReplay(catalog, { halfLifeMs: num('half-life-days') * DAY_MS });
let applied = 0;
let releasedCount = 0;
for (const session of sessions) {
  while (applied < events.length && (events[applied]?.occurredAtMs ?? Infinity) < session.startMs) {
    replay.apply(events[applied++] as (typeof events)[number]);
  }
  while (releasedCount < released.length && (released[releasedCount]?.createdAtMs ?? Infinity) <= session.startMs)
    releasedCount++;
  const split = session.startMs >= testFromMs ? 'test' : session.startMs >= validFromMs ? 'valid' : 'train';
  if (split === 'test' && !keptTests.has(session)) continue;
  // Validation picks the hyperparameters and the tree count, so its queries are drawn like the held-out ones.
  const negatives = num(split === 'train' ? 'negatives' : 'test-negatives');
  const skipped = skippedAbove(session, impressions.get(session.userId), catalog, num('session-gap-minutes') * 60_000);
  shownSkippedRows += Math.min(skipped.length, negatives);
  const rows = queryRows(session, released.slice(0, releasedCount), (item) => replay.hasSeen(session.userId, item.contentId), negatives, rngs[split], skipped); // prettier-ignore
  if (split === 'test') for (const r of rows) heldoutItems.push([r.item.creatorId, r.item.topics]);
  const writer = splits[split];
  const { matrix, row } = writer.reserve(rows.length);
  const user = userFeatures(replay.profile(session.userId));
  rows.forEach((r, i) => writeFeatures(matrix, row + i, user, replay.candidate(session.userId, r.item), session.startMs, r.shownAbove)); // prettier-ignore
  const fallback = fallbackScores(matrix.subarray(row * FEATURE_COUNT), rows.length);
  writer.commit(
    rows.map((r) => r.label),
    fallback,
  );
}

const summary = {
  source: {
    events: basename(args.events),
    content: basename(args.content),
    eventCount: events.length,
    dropped,
    items: catalog.size,
  },
  users: new Set(events.map((e) => e.userId)).size,
  halfLifeDays: num('half-life-days'),
  sessionGapMinutes: num('session-gap-minutes'),
  validFrom: new Date(validFromMs).toISOString(),
  testFrom: new Date(testFromMs).toISOString(),
  negatives: { train: num('negatives'), valid: num('test-negatives'), test: num('test-negatives') },
  testQueriesAvailable: testSessions.length,
  ...(args.impressions ? { impressions: { users: impressions.size, shownSkippedRows } } : {}),
  splits: Object.fromEntries(Object.entries(splits).map(([name, w]) => [name, { queries: w.groups.length, rows: w.rows, positives: w.labels.filter((l) => l > 0).length }])), // prettier-ignore
};
splits.train.write(args.out, 'train', { split: 'train' });
splits.valid.write(args.out, 'valid', { split: 'valid' });
splits.test.write(args.heldout, 'heldout', { split: 'test', testFrom: summary.testFrom }, true);
writeFileSync(join(args.out, 'heldout-items.json'), JSON.stringify(heldoutItems));
writeFileSync(join(args.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(JSON.stringify(summary.splits));
