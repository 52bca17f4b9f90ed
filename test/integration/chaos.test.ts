import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChaos } from '../helpers/chaos.js';

/**
 * Issue 14's chaos suite at CI size (the full size is `npm run bench -- chaos`): events posted through REST while
 * the API is SIGKILLed mid-request, the workers are SIGKILLed three times, FerretDB with its PostgreSQL and
 * the Temporal dev server restart on their data, and Redis is flushed. Once quiet, every interest profile and every
 * creator's counters equal what the API accepted. It starts its own services, since it restarts them.
 */
describe('chaos: kills and restarts while events are posted (integration)', () => {
  it('applies every accepted event exactly once to profiles and creator counters', async (t) => {
    // The timeline (faults, time to quiet) goes into the test's diagnostics, for reading a slow or failed run.
    const timeline: string[] = [];
    const result = await runChaos({
      log: (line) => timeline.push(line),
      users: 20,
      eventsPerUser: 50,
      creators: 6,
      itemsPerCreator: 4,
      batch: 20,
      inFlight: 3,
      workers: 2,
      faults: true,
    });
    for (const line of timeline) t.diagnostic(line);

    // The faults happened: a run where nothing was cut or restarted would prove nothing.
    const { unplannedExitDetails, ...faults } = result.faults;
    assert.deepEqual(unplannedExitDetails, [], 'no process died on its own');
    assert.deepEqual(
      { ...faults, inFlightAtApiKill: faults.inFlightAtApiKill > 0 },
      {
        apiKills: 1,
        inFlightAtApiKill: true,
        workerKills: 3,
        restarts: { mongodb: 1, temporal: 1 },
        redisFlushes: 1,
        unplannedExits: 0,
      },
    );
    assert.ok(result.cutRequests > 0, `requests cut by the API kills and sent again: ${result.cutRequests}`);
    // Every event was accepted in the end (retries included), none twice in the expected values.
    assert.equal(result.accepted, result.events);
    assert.equal(result.rejected, 0);

    assert.deepEqual(result.actual.profiles, result.expected.profiles, 'appliedEvents per user');
    assert.deepEqual(result.actual.creators, result.expected.creators, 'counters per creator');
    assert.ok(
      Object.values(result.expected.creators).every((c) => c.views > 0 && c.likes > 0),
      'every creator was credited views and likes, so a lost or doubled part shows',
    );
  });
});
