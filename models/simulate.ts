/**
 * Interaction simulator: writes `events.jsonl` (the shape of the platform's `events` collection) and
 * `content.jsonl` (the `content` catalog), deterministic for a seed. Run: npx tsx models/simulate.ts --out DIR
 *
 * Each user opens the app a few times a day at local prime time. The platform's logging policy (not the ranker
 * being trained) shows a list of 12 unseen items, biased to popular, followed and fresh items plus noise. The
 * user scrolls down the list (cascade): at each position they watch or skip, and leave with some probability,
 * so lower positions are seen less (position bias). Whether they watch depends on their latent topic taste,
 * the creator's latent quality, content-type taste, following, same region, freshness and fatigue from the same
 * creator just above. Watching may lead to likes, comments, shares, tips and follows, by the user's own style.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS, HOUR_MS } from '../src/domain/decay.js';
import { parseArgs } from 'node:util';
import { Random } from './sim-random.js';
import {
  createWorld,
  sessionHour,
  tasteMatch,
  type SimConfig,
  type SimItem,
  type SimUser,
  type World,
} from './sim-world.js';

const LIST_LENGTH = 12;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface SimEvent {
  eventId: string;
  userId: string;
  type: string;
  contentId: string | null;
  creatorId: string;
  value: number | null;
  occurredAt: string;
}

export function simulate(config: SimConfig): { world: World; events: SimEvent[] } {
  const rng = new Random(config.seed);
  const world = createWorld(config, rng);
  const { users, items, creators } = world;
  const events: SimEvent[] = [];
  const emit = (user: SimUser, type: string, atMs: number, item: SimItem | null, creatorId: string, value?: number) =>
    events.push({
      eventId: `sim-${config.seed}-${events.length}`,
      userId: user.id,
      type,
      contentId: item?.id ?? null,
      creatorId,
      value: value ?? null,
      occurredAt: new Date(atMs).toISOString(),
    });

  const follows = users.map(() => new Set<number>());
  users.forEach((user, u) => {
    // Follows made before the simulated period, of creators the user is likely to enjoy.
    const fit = creators.map((c) => Math.pow(tasteMatch(user, { topics: c.topics } as SimItem) * c.quality, 2) + 0.01);
    for (let k = rng.int(5); k > 0; k--) {
      const c = rng.weighted(fit);
      if (follows[u]?.has(c)) continue;
      follows[u]?.add(c);
      emit(user, 'follow', config.startMs - rng.int(7 * DAY_MS), null, creators[c]?.id ?? '');
    }
  });

  const sessions: { user: number; atMs: number }[] = [];
  users.forEach((user, u) => {
    for (let day = 0; day < config.days; day++) {
      for (let n = rng.poisson(user.sessionsPerDay); n > 0; n--) {
        sessions.push({
          user: u,
          atMs: config.startMs + day * DAY_MS + sessionHour(user, rng) * HOUR_MS + rng.int(HOUR_MS),
        });
      }
    }
  });
  sessions.sort((a, b) => a.atMs - b.atMs || a.user - b.user);

  const views = new Float64Array(items.length);
  const seen = new Uint8Array(users.length * items.length);
  for (const session of sessions) {
    const user = users[session.user] as SimUser;
    const followed = follows[session.user] as Set<number>;
    const shown = showList(rng, world, views, seen, session.user, followed, session.atMs);
    let atMs = session.atMs;
    const creatorShown = new Map<number, number>();
    for (const index of shown) {
      const item = items[index] as SimItem;
      const creator = creators[item.creator];
      if (!creator) continue;
      atMs += 3000 + rng.int(40_000);
      seen[session.user * items.length + index] = 1;
      const ageDays = Math.max(0, atMs - item.createdAtMs) / DAY_MS;
      const utility =
        2.8 * tasteMatch(user, item) +
        1.6 * (item.appeal - 0.5) +
        user.typePref[item.type] +
        (followed.has(item.creator) ? 0.8 : 0) +
        (creator.region === user.region ? 0.5 : 0) -
        0.3 * Math.log1p(ageDays) -
        0.6 * (creatorShown.get(item.creator) ?? 0) -
        (item.type === 'live' && ageDays > 1 ? 0.8 : 0) +
        user.bias;
      creatorShown.set(item.creator, (creatorShown.get(item.creator) ?? 0) + 1);
      const watched = rng.chance(sigmoid(1.6 * (utility - 1.5)));
      if (watched) {
        views[index] = (views[index] ?? 0) + 1;
        emit(user, 'view', atMs, item, creator.id);
        emit(
          user,
          'watch_time',
          atMs + 1000,
          item,
          creator.id,
          Math.round(3 + 60 * sigmoid(utility - 1.5) * (0.5 + rng.uniform())),
        );
        const keen = (shift: number) => sigmoid(2 * (utility - shift));
        if (rng.chance(Math.min(1, 2 * user.like * keen(2)))) emit(user, 'like', atMs + 2000, item, creator.id);
        if (rng.chance(Math.min(1, 2 * user.comment * keen(2.3)))) emit(user, 'comment', atMs + 3000, item, creator.id);
        if (rng.chance(Math.min(1, 2 * user.share * keen(2.3)))) emit(user, 'share', atMs + 4000, item, creator.id);
        if (rng.chance(user.tip * keen(2.5))) emit(user, 'tip', atMs + 5000, item, creator.id, 1 + rng.int(20));
        if (!followed.has(item.creator) && rng.chance(0.06 * keen(2.5))) {
          followed.add(item.creator);
          emit(user, 'follow', atMs + 6000, item, creator.id);
        }
      } else {
        emit(user, 'skip', atMs, item, creator.id);
        if (utility < 0 && rng.chance(0.05)) emit(user, 'hide', atMs + 500, item, creator.id);
        if (utility < -1 && rng.chance(0.01)) emit(user, 'report', atMs + 800, item, creator.id);
      }
      if (!rng.chance(watched ? 0.92 : 0.85)) break;
    }
  }
  events.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  return { world, events };
}

/**
 * The logging policy, i.e. whatever the platform ranked with when the data was collected: the top LIST_LENGTH
 * released, unseen items by popularity, follows, freshness, a rough idea of the user's taste, and Gumbel noise
 * (the exploration that lets a model learn what the policy would not have shown).
 */
function showList(
  rng: Random,
  world: World,
  views: Float64Array,
  seen: Uint8Array,
  user: number,
  followed: Set<number>,
  atMs: number,
) {
  const { items } = world;
  const top: { index: number; key: number }[] = [];
  items.forEach((item, index) => {
    if (item.createdAtMs > atMs || seen[user * items.length + index] === 1) return;
    const fresh = atMs - item.createdAtMs < 3 * DAY_MS ? 0.5 : 0;
    const taste = tasteMatch(world.users[user] as SimUser, item);
    const noise = -Math.log(-Math.log(rng.uniform() || 1e-12));
    const key = 0.5 * Math.log1p(views[index] ?? 0) + (followed.has(item.creator) ? 1 : 0) + fresh + taste + noise;
    if (top.length < LIST_LENGTH || key > (top[top.length - 1]?.key ?? -Infinity)) {
      top.push({ index, key });
      top.sort((a, b) => b.key - a.key);
      if (top.length > LIST_LENGTH) top.pop();
    }
  });
  return top.map((t) => t.index);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.tools/models-work/sim' },
      seed: { type: 'string', default: '7' },
      users: { type: 'string', default: '2000' },
      creators: { type: 'string', default: '120' },
      items: { type: 'string', default: '500' },
      days: { type: 'string', default: '28' },
      start: { type: 'string', default: '2025-03-03T00:00:00Z' },
    },
  });
  const config: SimConfig = {
    seed: Number(values.seed),
    users: Number(values.users),
    creators: Number(values.creators),
    items: Number(values.items),
    days: Number(values.days),
    startMs: Date.parse(values.start),
  };
  const { world, events } = simulate(config);
  mkdirSync(values.out, { recursive: true });
  const content = world.items.map((item) => ({
    contentId: item.id,
    creatorId: world.creators[item.creator]?.id,
    type: item.type,
    topics: item.topics,
    createdAt: new Date(item.createdAtMs).toISOString(),
  }));
  writeFileSync(join(values.out, 'content.jsonl'), content.map((c) => JSON.stringify(c)).join('\n') + '\n');
  writeFileSync(join(values.out, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(join(values.out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  console.log(`simulated ${events.length} events, ${content.length} items, ${config.users} users -> ${values.out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
