/**
 * Online evaluation per model: the joined pages (feedback_pages) summed by model version and arm, in total or per
 * hour or day for a time series. Rates are per shown item except engagement at k, which is per page showing a
 * feed's first k. The summing is pure (summarizePages); onlineMetrics streams MongoDB into it.
 */
import type { Db } from 'mongodb';
import { Gauge } from 'prom-client';
import { feedbackPagesCollection, type FeedbackPageDoc } from './feedback-store.js';
import { ONLINE_K } from './feedback-join.js';
import { readPointer, registryDir, type ModelPointer } from './model-registry.js';

/** A time series step: one row per model version, arm and UTC hour or day; `total` sums the whole window. */
export type MetricsBucket = 'total' | 'hour' | 'day';
const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

export interface OnlineMetrics {
  modelVersion: string;
  arm: string;
  /** Start of the hour or UTC day of a time series point; absent for the totals. */
  bucketStart?: string;
  pages: number;
  items: number;
  engagementRateAtK: number;
  engagedItemRate: number;
  likeRate: number;
  shareRate: number;
  skipRate: number;
}

/** What summing needs of a page: its outcome counts, model, arm and time. */
export type PageOutcome = Pick<
  FeedbackPageDoc,
  'modelVersion' | 'arm' | 'at' | 'items' | 'engagedItems' | 'engagedAtK' | 'headPage' | 'likes' | 'shares' | 'skips'
>;

interface Sums {
  pages: number;
  items: number;
  engagedItems: number;
  engagedAtK: number;
  headPages: number;
  likes: number;
  shares: number;
  skips: number;
}

/** Pure: pages added one at a time (a cursor streams in), rows ordered by bucket, then model version and arm. */
export function pageSummary(bucket: MetricsBucket): { add(page: PageOutcome): void; rows(): OnlineMetrics[] } {
  const groups = new Map<string, { modelVersion: string; arm: string; bucketStart?: string; sums: Sums }>();
  return {
    add(page) {
      const bucketStart =
        bucket === 'total'
          ? undefined
          : new Date(Math.floor(page.at.getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket]).toISOString();
      const key = `${bucketStart ?? ''}\n${page.modelVersion}\n${page.arm}`;
      let group = groups.get(key);
      if (!group) {
        const sums = {
          pages: 0,
          items: 0,
          engagedItems: 0,
          engagedAtK: 0,
          headPages: 0,
          likes: 0,
          shares: 0,
          skips: 0,
        };
        group = { modelVersion: page.modelVersion, arm: page.arm, ...(bucketStart ? { bucketStart } : {}), sums };
        groups.set(key, group);
      }
      const s = group.sums;
      s.pages += 1;
      s.items += page.items;
      s.engagedItems += page.engagedItems;
      s.engagedAtK += page.engagedAtK;
      s.headPages += page.headPage;
      s.likes += page.likes;
      s.shares += page.shares;
      s.skips += page.skips;
    },
    rows() {
      return [...groups.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, { sums: s, ...id }]) => ({
          ...id,
          pages: s.pages,
          items: s.items,
          engagementRateAtK: ratio(s.engagedAtK, s.headPages),
          engagedItemRate: ratio(s.engagedItems, s.items),
          likeRate: ratio(s.likes, s.items),
          shareRate: ratio(s.shares, s.items),
          skipRate: ratio(s.skips, s.items),
        }));
    },
  };
}

export function summarizePages(pages: Iterable<PageOutcome>, bucket: MetricsBucket): OnlineMetrics[] {
  const summary = pageSummary(bucket);
  for (const page of pages) summary.add(page);
  return summary.rows();
}

/**
 * Sums the pages in one pass over a cursor rather than a $group: FerretDB's $group does not sum field values, and
 * a page document is a few numbers, so a week of pages streams quickly.
 */
export async function onlineMetrics(db: Db, sinceMs: number, bucket: MetricsBucket): Promise<OnlineMetrics[]> {
  const summary = pageSummary(bucket);
  const cursor = feedbackPagesCollection(db).find({ at: { $gte: new Date(sinceMs) } }, { projection: { _id: 0 } });
  for await (const page of cursor) summary.add(page);
  return summary.rows();
}

/** What the operator route and `ops model-metrics` show: the rows, and which versions the registry serves. */
export interface OnlineMetricsReport {
  k: number;
  since: string;
  bucket: MetricsBucket;
  serving: { current: ModelPointer | null; candidate: ModelPointer | null; candidateShare: number };
  rows: OnlineMetrics[];
}

export async function onlineMetricsReport(
  db: Db,
  serving: { modelPath: string | undefined; candidateShare: number },
  sinceMs: number,
  bucket: MetricsBucket,
): Promise<OnlineMetricsReport> {
  const dir = await registryDir(serving.modelPath);
  const [current, candidate, rows] = await Promise.all([
    dir ? readPointer(dir, 'current') : null,
    dir ? readPointer(dir, 'candidate') : null,
    onlineMetrics(db, sinceMs, bucket),
  ]);
  return {
    k: ONLINE_K,
    since: new Date(sinceMs).toISOString(),
    bucket,
    serving: { current, candidate, candidateShare: serving.candidateShare },
    rows,
  };
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1e6) / 1e6 : 0);

/** What /metrics reports, over the last day; read from MongoDB at most every SCRAPE_CACHE_MS. */
const METRICS_WINDOW_MS = 86_400_000;
const SCRAPE_CACHE_MS = 30_000;
const RATES = ['engagementRateAtK', 'engagedItemRate', 'likeRate', 'shareRate', 'skipRate', 'pages', 'items'] as const;
let source: (() => Promise<Db>) | undefined;
let cached: { atMs: number; rows: OnlineMetrics[] } | undefined;

export const onlineMetricGauge = new Gauge({
  name: 'feed_online_metric',
  help: `Online evaluation per model over the last 24 h of joined impressions (engagement rate at ${ONLINE_K}, like/share/skip rates per item, pages, items)`,
  labelNames: ['model_version', 'arm', 'metric'] as const,
  async collect() {
    if (!source) return;
    const now = Date.now();
    if (!cached || now - cached.atMs > SCRAPE_CACHE_MS) {
      const rows = await onlineMetrics(await source(), now - METRICS_WINDOW_MS, 'total').catch(
        () => cached?.rows ?? [],
      );
      cached = { atMs: now, rows };
    }
    this.reset();
    for (const row of cached.rows) {
      for (const metric of RATES) this.set({ model_version: row.modelVersion, arm: row.arm, metric }, row[metric]);
    }
  },
});

/** The API names its database once; /metrics scrapes then read it. */
export function reportOnlineMetricsFrom(db: () => Promise<Db>): void {
  source = db;
  cached = undefined;
}
