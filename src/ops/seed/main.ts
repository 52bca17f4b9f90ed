/**
 * `npm run seed [-- --api URL] [--json]`: demo data for a running platform (`npm run dev`), made through its REST
 * API with the typed client, so every rule applies as for a real app. Safe to repeat: a second run creates nothing.
 * Tokens are signed with this shell's JWT_SECRET, which must be the API's (the dev default is).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { createDevTokenSigner } from '../../api/token-signer.js';
import { loadConfig } from '../../config.js';
import { seedApi, SeedError } from './api-client.js';
import { BRAIN_COMMAND, CREATORS, DEMO_VIEWER, STATION, VIEWERS } from './data.js';
import { SIMULATED_DAYS } from './engagement.js';
import {
  seedBrainCommand,
  seedContent,
  seedEvents,
  seedFollows,
  seedIdentities,
  seedInterests,
  seedStation,
  seedTips,
  type SeedRun,
  type StepCount,
} from './steps.js';

export interface SeedSummary {
  api: string;
  ms: number;
  counts: Record<
    'identities' | 'content' | 'interests' | 'follows' | 'events' | 'tips' | 'stations' | 'shows' | 'brainCommands',
    StepCount
  >;
  brainCommandStatus: string;
  leaderboardCreators: number;
  open: Record<string, string>;
  demoViewer: { userId: string; handle: string; token: string };
}

/** Creator stats reach the boards through the relay and debounced workflows: a few seconds on a running worker. */
const LEADERBOARD_WAIT_MS = 20_000;

async function seed(apiUrl: string, note: (text: string) => void): Promise<SeedSummary> {
  const config = loadConfig();
  const signer = await createDevTokenSigner(config);
  try {
    const api = seedApi(apiUrl, signer);
    const run: SeedRun = { api, nowMs: Date.now(), note };
    const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const result = await work();
      note(`  ${label.padEnd(16)} ${Date.now() - started} ms`);
      return result;
    };
    note(`Seeding demo data through ${apiUrl}`);
    const identities = await step('identities', () => seedIdentities(run));
    const { ids, ...content } = await step('content', () => seedContent(run));
    const interests = await step('interests', () => seedInterests(run));
    const follows = await step('follows', () => seedFollows(run));
    const events = await step('events', () => seedEvents(run, ids));
    const tips = await step('tips', () => seedTips(run));
    const { stationId, station, shows } = await step('station', () => seedStation(run));
    const brain = await step('brain command', () => seedBrainCommand(run));
    const leaderboardCreators = await step('leaderboard', () => waitForLeaderboard(run));

    const token = api.token(DEMO_VIEWER.userId);
    return {
      api: apiUrl,
      ms: Date.now() - run.nowMs,
      counts: {
        identities,
        content,
        interests,
        follows,
        events,
        tips,
        stations: station,
        shows,
        brainCommands: { total: brain.total, created: brain.created },
      },
      brainCommandStatus: brain.status,
      leaderboardCreators,
      open: {
        temporalUi: config.TEMPORAL_UI_URL,
        apiDocs: `${apiUrl}/docs`,
        feed: `${apiUrl}/api/v1/feed`,
        leaderboard: `${apiUrl}/api/v1/leaderboards/score`,
        creatorStats: `${apiUrl}/api/v1/creators/${CREATORS[0]!.userId}/stats`,
        schedule: `${apiUrl}/api/v1/stations/${stationId}/schedule`,
      },
      demoViewer: { userId: DEMO_VIEWER.userId, handle: DEMO_VIEWER.handle, token },
    };
  } finally {
    await signer.close();
  }
}

/** How many creators the score board lists, once it lists any (or when the wait is over). */
async function waitForLeaderboard(run: SeedRun): Promise<number> {
  const client = run.api.as(DEMO_VIEWER.userId);
  const until = Date.now() + LEADERBOARD_WAIT_MS;
  for (;;) {
    const board = await client.GET('/api/v1/leaderboards/{board}', {
      params: { path: { board: 'score' }, query: { limit: 100 } },
    });
    const listed = board.data?.items.length ?? 0;
    if (listed > 0 || Date.now() > until) return listed;
    await sleep(500);
  }
}

function render(s: SeedSummary): string {
  const line = (label: string, c: StepCount, what = '') =>
    `  ${label.padEnd(15)} ${String(c.total).padStart(4)}  ${`(${c.created} new)`.padEnd(10)}${what}`;
  const { counts } = s;
  const token = s.demoViewer.token;
  return [
    `Demo data ready in ${(s.ms / 1000).toFixed(1)} s (${s.api})`,
    line('identities', counts.identities, `${CREATORS.length} creators, ${VIEWERS.length} viewers`),
    line('content items', counts.content),
    line('interests', counts.interests, 'viewers who picked their interests'),
    line('follows', counts.follows, 'viewers of the creators they like'),
    line('events', counts.events, `over ${SIMULATED_DAYS} simulated days`),
    line('tips', counts.tips),
    line('stations', counts.stations, STATION.name),
    line('upcoming shows', counts.shows),
    line('brain commands', counts.brainCommands, `"${BRAIN_COMMAND.text}": ${s.brainCommandStatus}`),
    `  leaderboard     ${String(s.leaderboardCreators).padStart(4)} creators ranked so far`,
    '',
    'Open:',
    `  Temporal UI     ${s.open.temporalUi}  (workflows: user interest, creator stats, onboarding, TV station, brain)`,
    `  API docs        ${s.open.apiDocs}  (Authorize with the token below)`,
    `  Feed            ${s.open.feed}`,
    `  Leaderboard     ${s.open.leaderboard}`,
    `  Creator stats   ${s.open.creatorStats}`,
    `  TV schedule     ${s.open.schedule}`,
    '',
    `Token for ${s.demoViewer.userId} (@${s.demoViewer.handle}), valid for a day:`,
    `  export TOKEN=${token}`,
    `  curl -H "Authorization: Bearer $TOKEN" ${s.open.feed}`,
  ].join('\n');
}

const program = new Command('seed')
  .description('create demo data (creators, content, viewers, events, follows, tips, a TV station) through the API')
  .option('--api <url>', 'the API to seed (default: http://127.0.0.1:$PORT)')
  .option('--json', 'print the summary as one JSON document')
  .action(async (options: { api?: string; json?: boolean }) => {
    const apiUrl = (options.api ?? `http://127.0.0.1:${loadConfig().PORT}`).replace(/\/+$/, '');
    const note = (text: string) => process.stderr.write(`${text}\n`);
    const summary = await seed(apiUrl, note).catch((error: unknown) => {
      if (error instanceof TypeError && /fetch failed/.test(error.message)) {
        throw new SeedError(`no API answers at ${apiUrl}: start the platform with \`npm run dev\`, or pass --api`);
      }
      throw error;
    });
    process.stdout.write(`${options.json ? JSON.stringify(summary, null, 2) : render(summary)}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
