/**
 * The simulated platform's population: creators of varying quality posting on a few topics, items, and users
 * with latent tastes. Nothing here is visible to the ranker directly: the pipeline only sees the events and
 * the content catalog the simulator writes, exactly as it would see a real export.
 */
import { CONTENT_TYPES, type ContentType } from '../src/domain/engagement.js';
import { HOUR_MS, DAY_MS } from '../src/domain/decay.js';
import type { Random } from './sim-random.js';

export const SIM_TOPICS = [
  'music', 'gaming', 'comedy', 'sports', 'cooking', 'travel', 'fashion', 'tech', 'science', 'news',
  'fitness', 'art', 'dance', 'pets', 'diy', 'finance', 'movies', 'education', 'beauty', 'cars',
] as const; // prettier-ignore

/** Regions stand for time zones and languages: people prefer creators of their own region and are online at
 * local prime time, which is also when creators post. That is what the hour_fit feature can pick up. */
export const REGIONS = [
  { utcOffsetHours: 1, weight: 0.4 },
  { utcOffsetHours: -5, weight: 0.35 },
  { utcOffsetHours: 8, weight: 0.25 },
] as const;

const TYPE_WEIGHTS: Readonly<Record<ContentType, number>> = {
  short: 0.35,
  video: 0.3,
  live: 0.15,
  image: 0.12,
  text: 0.08,
};

export interface SimConfig {
  seed: number;
  users: number;
  creators: number;
  items: number;
  days: number;
  startMs: number;
}

export interface SimCreator {
  id: string;
  region: number;
  topics: string[];
  /** Latent quality 0..1: how much its items appeal to anyone, beyond topic. */
  quality: number;
  mainType: ContentType;
}

export interface SimItem {
  id: string;
  creator: number;
  type: ContentType;
  topics: string[];
  createdAtMs: number;
  appeal: number;
}

export interface SimUser {
  id: string;
  region: number;
  /** Topic → taste, scaled so the favourite topic is 1. */
  taste: Map<string, number>;
  typePref: Record<ContentType, number>;
  sessionsPerDay: number;
  /** Probability-scale propensities of each action once an item is watched. */
  like: number;
  comment: number;
  share: number;
  tip: number;
  bias: number;
}

export interface World {
  creators: SimCreator[];
  items: SimItem[];
  users: SimUser[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function createWorld(config: SimConfig, rng: Random): World {
  const regionWeights = REGIONS.map((r) => r.weight);
  const typeWeights = CONTENT_TYPES.map((t) => TYPE_WEIGHTS[t]);
  const creators = Array.from({ length: config.creators }, (_, i): SimCreator => {
    const main = rng.pick(SIM_TOPICS);
    return {
      id: `creator-${pad(i + 1, 4)}`,
      region: rng.weighted(regionWeights),
      topics: rng.chance(0.4) ? [main, rng.pick(SIM_TOPICS.filter((t) => t !== main))] : [main],
      quality: rng.beta(2, 2),
      mainType: CONTENT_TYPES[rng.weighted(typeWeights)] ?? 'short',
    };
  });
  // Productivity is heavy-tailed: a few creators post much of the catalog.
  const productivity = creators.map(() => Math.exp(rng.normal(0, 0.8)));
  const items = Array.from({ length: config.items }, (_, i): SimItem => {
    const creatorIndex = rng.weighted(productivity);
    const creator = creators[creatorIndex] as SimCreator;
    const topics = [rng.pick(creator.topics)];
    if (creator.topics.length > 1 && rng.chance(0.5)) topics.push(...creator.topics.filter((t) => t !== topics[0]));
    if (rng.chance(0.25)) topics.push(rng.pick(SIM_TOPICS.filter((t) => !topics.includes(t))));
    const day = rng.int(config.days + 7) - 7;
    const localHour = 17 + rng.int(6);
    const utcHourOfDay = (((localHour - (REGIONS[creator.region]?.utcOffsetHours ?? 0)) % 24) + 24) % 24;
    return {
      id: `content-${pad(i + 1, 5)}`,
      creator: creatorIndex,
      type: rng.chance(0.7) ? creator.mainType : (CONTENT_TYPES[rng.weighted(typeWeights)] ?? 'short'),
      topics,
      createdAtMs: config.startMs + day * DAY_MS + utcHourOfDay * HOUR_MS + rng.int(HOUR_MS),
      appeal: Math.min(1, Math.max(0, creator.quality + rng.normal(0, 0.15))),
    };
  });
  const users = Array.from({ length: config.users }, (_, i): SimUser => {
    const weights = rng.dirichlet(SIM_TOPICS.length, 0.12);
    const top = Math.max(...weights);
    return {
      id: `user-${pad(i + 1, 5)}`,
      region: rng.weighted(regionWeights),
      taste: new Map(SIM_TOPICS.map((t, k) => [t, (weights[k] ?? 0) / top])),
      typePref: Object.fromEntries(CONTENT_TYPES.map((t) => [t, rng.normal(0, 0.5)])) as Record<ContentType, number>,
      sessionsPerDay: Math.exp(rng.normal(Math.log(0.6), 0.6)),
      like: rng.beta(2, 5),
      comment: rng.beta(1, 12),
      share: rng.beta(1, 15),
      tip: rng.beta(1, 60),
      bias: rng.normal(0, 0.3),
    };
  });
  return { creators, items, users };
}

/** 0..1: how well an item's topics sit with a user's latent taste. */
export function tasteMatch(user: SimUser, item: SimItem): number {
  let sum = 0;
  for (const topic of item.topics) sum += user.taste.get(topic) ?? 0;
  return item.topics.length === 0 ? 0 : sum / item.topics.length;
}

/** A UTC hour at which this user opens the app: local prime time, sometimes the morning commute. */
export function sessionHour(user: SimUser, rng: Random): number {
  const local = rng.chance(0.8) ? 18 + rng.int(6) : 7 + rng.int(3);
  return (((local - (REGIONS[user.region]?.utcOffsetHours ?? 0)) % 24) + 24) % 24;
}
