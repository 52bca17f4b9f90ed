/**
 * Issue 14's chaos suite at full size: events posted through the REST API of a real API process to two worker
 * processes while the API is SIGKILLed mid-request, the workers are SIGKILLed three times, FerretDB with its
 * PostgreSQL and the Temporal dev server restart on their data and Redis is flushed (test/helpers/chaos.ts). Beside
 * it, in the same run, a baseline: the same scenario on fresh services without faults. Prints throughput, time to
 * quiet, retries, worker memory and mismatches; exits 1 on any mismatch.
 *
 *   npm run bench -- chaos                                        # 2,000 users × 50 events; baseline 20k events
 *   npx tsx bench/chaos.ts --users 200 --events-per-user 50 --batch 20 --baseline-events 1000   # quick
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos, type ChaosOptions, type ChaosResult } from '../test/helpers/chaos.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: process.env.CHAOS_USERS ?? '2000' },
    'events-per-user': { type: 'string', default: process.env.CHAOS_EVENTS_PER_USER ?? '50' },
    'baseline-events': { type: 'string', default: process.env.CHAOS_BASELINE_EVENTS ?? '20000' },
    workers: { type: 'string', default: '2' },
    batch: { type: 'string', default: '100' },
    // A relay round of 200 entries for 2,000 users takes minutes here, during which the outbox count stands still.
    'stall-seconds': { type: 'string', default: '1200' },
  },
});
const users = Number(args.users);
const eventsPerUser = Number(args['events-per-user']);
const shared: Omit<ChaosOptions, 'users' | 'faults'> = {
  eventsPerUser,
  creators: 50,
  itemsPerCreator: 10,
  batch: Number(args.batch),
  inFlight: 4,
  workers: Number(args.workers),
  log: (line) => console.log(line),
  stallMs: Number(args['stall-seconds']) * 1000,
};
// The baseline keeps events per user (and so the work per workflow) and has fewer users.
const baselineUsers = Math.max(1, Math.round(Number(args['baseline-events']) / eventsPerUser));

console.log(`[baseline] no faults, ${baselineUsers} users × ${eventsPerUser} events`);
const baseline = await runChaos({ ...shared, users: baselineUsers, faults: false });
report('baseline', baseline);
console.log(`\n[chaos] ${users} users × ${eventsPerUser} events, ${shared.workers} workers`);
const chaos = await runChaos({ ...shared, users, faults: true });
report('chaos', chaos);

const ratio = endToEndRate(chaos) / endToEndRate(baseline);
console.log(`\nchaos/baseline end-to-end events/s: ${ratio.toFixed(2)}×`);
if (process.env.BENCH_RESULTS_DIR) {
  const file = join(process.env.BENCH_RESULTS_DIR, `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const figures = (r: ChaosResult) => ({ ...r, expected: undefined, actual: undefined });
  writeFileSync(file, `${JSON.stringify({ baseline: figures(baseline), chaos: figures(chaos), ratio }, null, 2)}\n`);
}
process.exit(baseline.mismatches.length + chaos.mismatches.length > 0 ? 1 : 0);

function report(name: string, r: ChaosResult): void {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const { faults } = r;
  console.log(
    `[${name}] ${r.accepted}/${r.events} events accepted, ${r.rejected} rejected` +
      `\n  accepted by the API: ${rate(r.accepted, r.postingMs)} events/s (${seconds(r.postingMs)})` +
      `\n  end to end (first request → every read model final): ${rate(r.accepted, r.endToEndMs)} events/s ` +
      `(${seconds(r.endToEndMs)})` +
      (faults.apiKills + faults.workerKills > 0
        ? `\n  quiet ${seconds(r.quietAfterLastFaultMs)} after the last fault; faults: ${faults.apiKills} API kills ` +
          `(${faults.inFlightAtApiKill} requests in flight), ${faults.workerKills} worker kills, restarts ` +
          `${JSON.stringify(faults.restarts)}, ${faults.redisFlushes} Redis flush, ${faults.unplannedExits} unplanned exits`
        : '') +
      `\n  requests cut ${r.cutRequests}, retries ${r.retries}; worker peak RSS ${(r.workerPeakRssBytes / 2 ** 20).toFixed(0)} MB` +
      `\n  mismatches: ${r.mismatches.length}${r.mismatches.length ? `\n    ${r.mismatches.slice(0, 20).join('\n    ')}` : ''}`,
  );
}

function endToEndRate(r: ChaosResult): number {
  return r.accepted / (r.endToEndMs / 1000);
}

function rate(count: number, ms: number): string {
  return (count / (ms / 1000)).toFixed(0);
}
