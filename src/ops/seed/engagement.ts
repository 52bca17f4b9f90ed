import type { DemoCreator, DemoItem, DemoViewer } from './data.js';

/** Days of simulated activity, ending just before the run. */
export const SIMULATED_DAYS = 4;
const DAY_MS = 86_400_000;
/** The newest event is this far in the past, well clear of the API's "not in the future" check. */
const END_MARGIN_MS = 10 * 60_000;

export type SimulatedType = 'view' | 'watch_time' | 'like' | 'comment' | 'share' | 'skip';

export interface SimulatedEvent {
  /** Stable across runs (the API drops a repeat of the user's eventId), unlike occurredAtMs. */
  eventId: string;
  type: SimulatedType;
  item: DemoItem;
  creatorId: string;
  value?: number;
  occurredAtMs: number;
}

/** A small seeded generator (mulberry32): the same viewer gets the same days on every run. */
function randomFor(seed: string): () => number {
  let state = 2166136261;
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WATCH_SECONDS: Record<DemoItem['type'], [number, number]> = {
  video: [60, 600],
  short: [10, 60],
  live: [300, 1800],
  image: [3, 20],
  text: [30, 240],
};

/**
 * A viewer's few days: most items of the themes they like are watched (some again on later days), often liked,
 * sometimes commented on or shared; a couple of items outside their tastes are scrolled past. Several items of their
 * themes stay unwatched, so their feed has something new to rank.
 */
export function simulateViewer(viewer: DemoViewer, creators: DemoCreator[], nowMs: number): SimulatedEvent[] {
  const random = randomFor(viewer.userId);
  const shuffled = <T>(list: T[]): T[] => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  const endMs = nowMs - END_MARGIN_MS;
  const dayStart = (day: number) => endMs - (SIMULATED_DAYS - day) * DAY_MS;
  const liked = creators.filter((c) => viewer.tastes.includes(c.theme));
  const others = creators.filter((c) => !viewer.tastes.includes(c.theme));
  const byItem = new Map(creators.flatMap((c) => c.items.map((i) => [i.key, c.userId] as const)));

  const events: SimulatedEvent[] = [];
  const add = (item: DemoItem, type: SimulatedType, id: string, atMs: number, value?: number) =>
    events.push({
      eventId: `seed:${item.key}:${id}`,
      type,
      item,
      creatorId: byItem.get(item.key)!,
      ...(value === undefined ? {} : { value }),
      occurredAtMs: Math.round(atMs),
    });

  const candidates = shuffled(liked.flatMap((c) => c.items));
  const watched = candidates.slice(0, Math.min(8, Math.ceil(candidates.length * 0.7)));
  for (const item of watched) {
    const firstDay = Math.floor(random() * SIMULATED_DAYS);
    for (let day = firstDay; day < SIMULATED_DAYS; day++) {
      if (day > firstDay && random() > 0.35) continue; // a rewatch on some later days
      // Within the day's window, leaving room for the session to end before the next day's.
      const at = dayStart(day) + random() * DAY_MS * 0.9;
      const [min, max] = WATCH_SECONDS[item.type];
      const seconds = Math.round(min + random() * (max - min));
      add(item, 'view', `d${day}:view`, at);
      add(item, 'watch_time', `d${day}:watch`, at + seconds * 1000, seconds);
      if (day !== firstDay) continue;
      if (random() < 0.65) add(item, 'like', 'like', at + seconds * 1000 + 5_000);
      if (random() < 0.2) add(item, 'comment', 'comment', at + seconds * 1000 + 20_000);
      if (random() < 0.15) add(item, 'share', 'share', at + seconds * 1000 + 40_000);
    }
  }
  for (const item of shuffled(others.flatMap((c) => c.items)).slice(0, 2)) {
    add(item, 'skip', 'skip', dayStart(Math.floor(random() * SIMULATED_DAYS)) + random() * DAY_MS * 0.9);
  }
  return events.sort((a, b) => a.occurredAtMs - b.occurredAtMs);
}
