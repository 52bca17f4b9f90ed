import { setTimeout as sleep } from 'node:timers/promises';
import type { Role } from '../../api/principal.js';
import { expectStatus, SeedError, type SeedApi } from './api-client.js';
import {
  BRAIN_COMMAND,
  CREATORS,
  STATION,
  TIP_SERVICE_ID,
  TIPS,
  VIEWERS,
  type DemoCreator,
  type DemoViewer,
} from './data.js';
import { simulateViewer } from './engagement.js';

/**
 * The seeding steps, in dependency order (identities before follows and tips, content before events). Each looks
 * at what exists before creating, and creates with stable ids or Idempotency-Keys, so a repeat run creates nothing.
 * Each answers how many of its things exist after it and how many it created.
 */
export interface StepCount {
  total: number;
  created: number;
}

export interface SeedRun {
  api: SeedApi;
  nowMs: number;
  /** Progress lines (stderr). */
  note(text: string): void;
}

const count = (results: boolean[]): StepCount => ({
  total: results.length,
  created: results.filter(Boolean).length,
});

/** Users act with their own token; creators also hold the creator role (publishing, a station). */
const CREATOR_ROLES: Role[] = ['creator'];

export async function seedIdentities(run: SeedRun): Promise<StepCount> {
  const people: Array<{ user: DemoCreator | DemoViewer; roles: Role[] }> = [
    ...CREATORS.map((user) => ({ user, roles: CREATOR_ROLES })),
    ...VIEWERS.map((user) => ({ user, roles: ['user'] as Role[] })),
  ];
  const results = await Promise.all(
    people.map(async ({ user, roles }) => {
      const client = run.api.as(user.userId, roles);
      const found = await client.GET('/api/v1/identities/{idOrHandle}', {
        params: { path: { idOrHandle: user.userId } },
      });
      if (found.response.status !== 404) {
        expectStatus(found, `looking up ${user.userId}`, 200);
        return false;
      }
      const created = await client.POST('/api/v1/identities', {
        params: { header: { 'idempotency-key': 'seed-identity' } },
        body: { handle: user.handle, displayName: user.displayName, bio: user.bio },
      });
      // A 409 names the reason: most likely another user holds the handle the demo needs.
      expectStatus(created, `creating the identity of ${user.userId}`, 201);
      return true;
    }),
  );
  return count(results);
}

/** Item key → content id, for the events. */
export type ContentIds = Map<string, string>;

export async function seedContent(run: SeedRun): Promise<StepCount & { ids: ContentIds }> {
  const ids: ContentIds = new Map();
  const results = await Promise.all(
    CREATORS.map(async (creator) => {
      const client = run.api.as(creator.userId, CREATOR_ROLES);
      const listed = await client.GET('/api/v1/creators/{id}/content', {
        params: { path: { id: creator.userId }, query: { limit: 100 } },
      });
      const byTitle = new Map(expectStatus(listed, `listing ${creator.userId}'s content`, 200).items.map((i) => [i.title, i.id])); // prettier-ignore
      const made: boolean[] = [];
      // In order, so the newest item is the creator's last one on every run.
      for (const item of creator.items) {
        const existing = byTitle.get(item.title);
        if (existing) {
          ids.set(item.key, existing);
          made.push(false);
          continue;
        }
        const published = await client.POST('/api/v1/content', {
          // The key also names the item (the API derives its id from it), so even a lost answer makes one item.
          params: { header: { 'idempotency-key': `seed-content-${item.key}` } },
          body: { title: item.title, description: item.description, tags: item.tags, type: item.type },
        });
        ids.set(item.key, expectStatus(published, `publishing "${item.title}"`, 201).id);
        made.push(true);
      }
      return made;
    }),
  );
  return { ...count(results.flat()), ids };
}

/** The viewers' tastes plus a second topic per taste, as onboarding asks for at least three interests. */
export function interestsOf(viewer: DemoViewer): string[] {
  const topics = viewer.tastes.flatMap((theme) => [theme, CREATORS.find((c) => c.theme === theme)?.items[0]?.tags[1]]);
  return [...new Set(topics.filter((t): t is string => !!t))];
}

export async function seedInterests(run: SeedRun): Promise<StepCount> {
  const results = await Promise.all(
    VIEWERS.map(async (viewer) => {
      const client = run.api.as(viewer.userId);
      const path = { id: viewer.userId };
      const progress = await client.GET('/api/v1/identities/{id}/onboarding', { params: { path } });
      const data = progress.data;
      if (data && (data.done.includes('pick_interests') || data.stage === 'completed' || data.stage === 'abandoned')) {
        return false;
      }
      const picked = await client.POST('/api/v1/identities/{id}/onboarding/interests', {
        params: { path },
        body: { topics: interestsOf(viewer) },
      });
      // 409: no onboarding in progress; the interests still reached the profile (a repeat adds nothing there).
      if (picked.response.status === 409) return false;
      expectStatus(picked, `picking ${viewer.userId}'s interests`, 202);
      return true;
    }),
  );
  return count(results);
}

/** Each viewer follows the creators of their tastes. */
export async function seedFollows(run: SeedRun): Promise<StepCount> {
  const results = await Promise.all(
    VIEWERS.map(async (viewer) => {
      const client = run.api.as(viewer.userId);
      const made: boolean[] = [];
      for (const creator of CREATORS.filter((c) => viewer.tastes.includes(c.theme))) {
        const followed = await client.POST('/api/v1/users/{id}/follow', {
          params: { path: { id: creator.userId } },
        });
        expectStatus(followed, `${viewer.userId} following ${creator.userId}`, 200, 201);
        made.push(followed.response.status === 201);
      }
      return made;
    }),
  );
  return count(results.flat());
}

/** Every viewer's simulated days in one batch of their own (users may only send their own events). */
export async function seedEvents(run: SeedRun, ids: ContentIds): Promise<StepCount> {
  const results = await Promise.all(
    VIEWERS.map(async (viewer) => {
      const events = simulateViewer(viewer, CREATORS, run.nowMs).map((e) => ({
        eventId: e.eventId,
        userId: viewer.userId,
        type: e.type,
        contentId: ids.get(e.item.key)!,
        creatorId: e.creatorId,
        ...(e.value === undefined ? {} : { value: e.value }),
        occurredAt: new Date(e.occurredAtMs).toISOString(),
      }));
      const sent = await run.api.as(viewer.userId).POST('/api/v1/events', { body: { events } });
      const result = expectStatus(sent, `sending ${viewer.userId}'s events`, 202);
      if (result.rejected.length > 0) {
        throw new SeedError(`the API rejected events of ${viewer.userId}: ${JSON.stringify(result.rejected[0])}`);
      }
      return result.accepted.map((a) => !a.duplicate);
    }),
  );
  return count(results.flat());
}

/**
 * Tips through the payments backend's route (service role), the only path by which tips reach creator stats.
 * Idempotent on tipId; a repeat answers with the first tip, whose createdAt is from before this run.
 */
export async function seedTips(run: SeedRun): Promise<StepCount> {
  const payments = run.api.as(TIP_SERVICE_ID, ['service']);
  const results = await Promise.all(
    TIPS.map(async (tip) => {
      const sent = await payments.POST('/api/v1/creators/{id}/tips', {
        params: { path: { id: tip.to } },
        body: { tipId: tip.tipId, fromUserId: tip.from, amountMinor: tip.amountMinor, currency: tip.currency },
      });
      const stored = expectStatus(sent, `tip ${tip.tipId}`, 201);
      return Date.parse(stored.createdAt) >= run.nowMs;
    }),
  );
  return count(results);
}

const DAY_MS = 86_400_000;

/** The station and its upcoming shows; a show already on the schedule under its title is left as it is. */
export async function seedStation(run: SeedRun): Promise<{ stationId: string; station: StepCount; shows: StepCount }> {
  const client = run.api.as(STATION.ownerId, CREATOR_ROLES);
  const listed = await client.GET('/api/v1/stations', {
    params: { query: { ownerId: STATION.ownerId, limit: 100 } },
  });
  let stationId = expectStatus(listed, 'listing stations', 200).items.find((s) => s.name === STATION.name)?.id;
  const stationCreated = stationId === undefined;
  if (stationId === undefined) {
    const created = await client.POST('/api/v1/stations', {
      params: { header: { 'idempotency-key': 'seed-station' } },
      body: { name: STATION.name, description: STATION.description },
    });
    stationId = expectStatus(created, `creating station "${STATION.name}"`, 201).id;
  }

  const path = { stationId };
  const schedule = await client.GET('/api/v1/stations/{stationId}/schedule', { params: { path } });
  const booked = new Set(
    expectStatus(schedule, 'reading the schedule', 200)
      .shows.filter((s) => s.status === 'scheduled' || s.status === 'live')
      .map((s) => s.title),
  );
  const today = Math.floor(run.nowMs / DAY_MS) * DAY_MS;
  const made: boolean[] = [];
  for (const show of STATION.shows) {
    if (booked.has(show.title)) {
      made.push(false);
      continue;
    }
    const startAt = new Date(today + show.inDays * DAY_MS + show.hourUtc * 3_600_000).toISOString();
    const slug = show.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const scheduled = await client.POST('/api/v1/stations/{stationId}/shows', {
      params: { path, header: { 'idempotency-key': `seed-show:${slug}:${startAt.slice(0, 10)}` } },
      body: { title: show.title, startAt, durationMinutes: show.durationMinutes },
    });
    expectStatus(scheduled, `scheduling "${show.title}"`, 201);
    made.push(true);
  }
  return { stationId, station: { total: 1, created: stationCreated ? 1 : 0 }, shows: count(made) };
}

const FINISHED = new Set(['completed', 'compensated', 'failed', 'expired']);
/** A follow command takes well under a second on a running worker; past this the seeder says it is still running. */
const BRAIN_WAIT_MS = 30_000;

/** The demo viewer's Brain Mode command, once; waits for its workflow so what it changes is in place at the end. */
export async function seedBrainCommand(run: SeedRun): Promise<StepCount & { status: string }> {
  const client = run.api.as(BRAIN_COMMAND.userId);
  const listed = await client.GET('/api/v1/brain/commands', { params: { query: { limit: 100 } } });
  let command = expectStatus(listed, 'listing Brain Mode commands', 200).items.find(
    (c) => c.text === BRAIN_COMMAND.text,
  );
  const created = command === undefined;
  let commandId = command?.id;
  if (commandId === undefined) {
    const started = await client.POST('/api/v1/brain/commands', {
      params: { header: { 'idempotency-key': 'seed-brain-command' } },
      body: { text: BRAIN_COMMAND.text, timezone: 'UTC' },
    });
    const accepted = expectStatus(started, `Brain Mode "${BRAIN_COMMAND.text}"`, 202);
    if (!('commandId' in accepted)) throw new SeedError(`Brain Mode did not plan "${BRAIN_COMMAND.text}"`);
    commandId = accepted.commandId;
  }
  const until = Date.now() + BRAIN_WAIT_MS;
  for (;;) {
    const read = await client.GET('/api/v1/brain/commands/{id}', { params: { path: { id: commandId } } });
    command = expectStatus(read, `reading command ${commandId}`, 200);
    if (FINISHED.has(command.status) || Date.now() > until) break;
    await sleep(200);
  }
  if (!FINISHED.has(command.status)) run.note(`Brain Mode command ${commandId} is still ${command.status}`);
  return { total: 1, created: created ? 1 : 0, status: command.status };
}
