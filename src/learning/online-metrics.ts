/**
 * Online evaluation per model: the joined pages (feedback_pages) summed by model version and arm, and by hour for
 * a time series. Rates are per shown item except engagement at k, which is per page showing a feed's first k.
 */
import type { Db } from 'mongodb';
import { Gauge } from 'prom-client';
import { feedbackPagesCollection } from './feedback-store.js';
import { ONLINE_K } from './feedback-join.js';

export interface OnlineMetrics {
  modelVersion: string;
  arm: string;
  /** Start of the hour for a time series point; absent for the totals. */
  hour?: string;
  pages: number;
  items: number;
  engagementRateAtK: number;
  engagedItemRate: number;
  likeRate: number;
  shareRate: number;
  skipRate: number;
}

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

/**
 * Sums the pages in one pass over a cursor rather than a $group: FerretDB's $group does not sum field values, and
 * a page document is a few numbers, so a day of pages streams quickly.
 */
export async function onlineMetrics(db: Db, sinceMs: number, byHour: boolean): Promise<OnlineMetrics[]> {
  const groups = new Map<string, { modelVersion: string; arm: string; hour?: string; sums: Sums }>();
  const cursor = feedbackPagesCollection(db).find({ at: { $gte: new Date(sinceMs) } }, { projection: { _id: 0 } });
  for await (const page of cursor) {
    const hour = byHour ? new Date(page.hour).toISOString() : undefined;
    const key = `${page.modelVersion}\n${page.arm}\n${hour ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      const sums = { pages: 0, items: 0, engagedItems: 0, engagedAtK: 0, headPages: 0, likes: 0, shares: 0, skips: 0 };
      group = { modelVersion: page.modelVersion, arm: page.arm, ...(hour ? { hour } : {}), sums };
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
  }
  return [...groups.values()]
    .map(({ sums: s, ...id }) => ({
      ...id,
      pages: s.pages,
      items: s.items,
      engagementRateAtK: ratio(s.engagedAtK, s.headPages),
      engagedItemRate: ratio(s.engagedItems, s.items),
      likeRate: ratio(s.likes, s.items),
      shareRate: ratio(s.shares, s.items),
      skipRate: ratio(s.skips, s.items),
    }))
    .sort((a, b) => `${a.hour ?? ''}${a.modelVersion}`.localeCompare(`${b.hour ?? ''}${b.modelVersion}`));
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
      const rows = await onlineMetrics(await source(), now - METRICS_WINDOW_MS, false).catch(() => cached?.rows ?? []);
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
