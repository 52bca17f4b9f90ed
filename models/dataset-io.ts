/**
 * Reading platform exports and writing dataset splits. Exports are JSON lines as written by the simulator or by
 * `mongoexport --jsonFormat=relaxed` on the `events` and `content` collections, so `{ "$date": ... }` dates and
 * `_id` keys are accepted as well as plain ISO strings.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isContentType, isEngagementType, type ContentType, type EngagementType } from '../src/domain/engagement.js';
import { FEATURE_NAMES, FEATURE_VERSION } from '../src/ranking/features.js';

export interface PlatformEvent {
  eventId: string;
  userId: string;
  type: EngagementType;
  contentId: string | null;
  creatorId: string | null;
  value: number | null;
  occurredAtMs: number;
}

export interface CatalogItem {
  contentId: string;
  creatorId: string;
  type: ContentType;
  topics: string[];
  createdAtMs: number;
}

type Json = Record<string, unknown>;

export function readJsonLines(path: string): Json[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Json);
}

/** Events in time order (ties by eventId); malformed lines are dropped and counted, as ingestion would reject them. */
export function readEvents(path: string): { events: PlatformEvent[]; dropped: number } {
  const events: PlatformEvent[] = [];
  let dropped = 0;
  for (const doc of readJsonLines(path)) {
    const occurredAtMs = toMs(doc.occurredAt);
    const userId = toId(doc.userId);
    if (!isEngagementType(doc.type) || userId === null || !Number.isFinite(occurredAtMs)) {
      dropped++;
      continue;
    }
    events.push({
      eventId: toId(doc.eventId) ?? toId(doc._id) ?? `line-${events.length}`,
      userId,
      type: doc.type,
      contentId: toId(doc.contentId),
      creatorId: toId(doc.creatorId),
      value: typeof doc.value === 'number' && Number.isFinite(doc.value) ? doc.value : null,
      occurredAtMs,
    });
  }
  events.sort(
    (a, b) => a.occurredAtMs - b.occurredAtMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
  return { events, dropped };
}

export function readCatalog(path: string): Map<string, CatalogItem> {
  const catalog = new Map<string, CatalogItem>();
  for (const doc of readJsonLines(path)) {
    const contentId = toId(doc.contentId) ?? toId(doc._id);
    const creatorId = toId(doc.creatorId);
    const createdAtMs = toMs(doc.createdAt);
    if (contentId === null || creatorId === null || !Number.isFinite(createdAtMs)) continue;
    const topics = Array.isArray(doc.topics) ? doc.topics.filter((t): t is string => typeof t === 'string') : [];
    const type = isContentType(doc.type) ? doc.type : 'video';
    catalog.set(contentId, { contentId, creatorId, type, topics: [...new Set(topics)], createdAtMs });
  }
  return catalog;
}

function toMs(value: unknown): number {
  if (typeof value === 'string') return Date.parse(value);
  if (typeof value === 'number') return value;
  if (value instanceof Object && '$date' in value) {
    const date = (value as { $date: unknown }).$date;
    if (date instanceof Object && '$numberLong' in date) return Number((date as { $numberLong: unknown }).$numberLong);
    return toMs(date);
  }
  return NaN;
}

function toId(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value instanceof Object && '$oid' in value) return toId((value as { $oid: unknown }).$oid);
  return null;
}

/** Rows of one split, appended query by query. */
export class SplitWriter {
  private features = new Float32Array(1 << 16);
  private scores = new Float32Array(1 << 12);
  readonly labels: number[] = [];
  readonly groups: number[] = [];
  rows = 0;

  constructor(private readonly width: number) {}

  /** Room for `count` more rows; returns the matrix and the first free row to write features into. */
  reserve(count: number): { matrix: Float32Array; row: number } {
    const needed = (this.rows + count) * this.width;
    if (needed > this.features.length) this.features = grow(this.features, needed);
    if (this.rows + count > this.scores.length) this.scores = grow(this.scores, this.rows + count);
    return { matrix: this.features, row: this.rows };
  }

  commit(labels: readonly number[], fallback: Float32Array): void {
    this.scores.set(fallback.subarray(0, labels.length), this.rows);
    this.labels.push(...labels);
    this.groups.push(labels.length);
    this.rows += labels.length;
  }

  /** `<name>.features.f32` (row-major float32, little-endian), `<name>.fallback.f32` and `<name>.json`. */
  write(dir: string, name: string, meta: Json, gzip = false): void {
    mkdirSync(dir, { recursive: true });
    const suffix = gzip ? '.gz' : '';
    const pack = (bytes: Uint8Array) => (gzip ? gzipSync(bytes, { level: 9 }) : bytes);
    const bytesOf = (array: Float32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    writeFileSync(
      join(dir, `${name}.features.f32${suffix}`),
      pack(bytesOf(this.features.subarray(0, this.rows * this.width))),
    );
    writeFileSync(join(dir, `${name}.fallback.f32${suffix}`), pack(bytesOf(this.scores.subarray(0, this.rows))));
    const body = {
      featureVersion: FEATURE_VERSION,
      featureNames: FEATURE_NAMES,
      rows: this.rows,
      ...meta,
      groups: this.groups,
      labels: this.labels,
    };
    writeFileSync(join(dir, `${name}.json${suffix}`), pack(Buffer.from(JSON.stringify(body))));
  }
}

function grow(array: Float32Array, needed: number): Float32Array<ArrayBuffer> {
  const next = new Float32Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}
