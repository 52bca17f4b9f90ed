/**
 * Contract conformance: schemathesis fuzzes every operation of the live /openapi.json against the API on real
 * services (with a worker, so workflow-backed routes answer) and fails on a 5xx, a status, content type, header or
 * body the document does not declare, a schema-valid request rejected with 400, or a schema-invalid one accepted.
 * Fixtures (a user's identity, a station with a show, a content item) give the path parameters ids that exist.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/dev/ports.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { startPlatform, type Platform } from '../helpers/platform.js';
import { ensureSchemathesis } from './schemathesis.js';

const BASELINE = fileURLToPath(new URL('./schemathesis-baseline.json', import.meta.url));

const config = testConfig(import.meta.filename, {
  // Every operation must be reached, not stopped at 429 part-way.
  RATE_LIMIT_MAX: '1000000',
  TEMPORAL_TASK_QUEUE: `contract-${process.pid}`,
});

describe('contract conformance (schemathesis)', { timeout: 1_500_000 }, () => {
  const app = build({ after }, config);
  let platform: Platform | undefined;
  let baseUrl: string;
  let authorization: string;
  const ids = { user: 'st-user', station: '', show: '', content: '' };

  // At the suite's level: an after() called inside before() would run as soon as that hook ends.
  after(() => platform?.close());
  before(async () => {
    platform = await startPlatform(config);
    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    baseUrl = `http://127.0.0.1:${port}`;
    authorization = await bearer(app, ids.user, ['user', 'creator', 'operator', 'service']);
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${baseUrl}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.ok(res.status < 300, `fixture POST ${path}: ${res.status} ${await res.clone().text()}`);
      return (await res.json()) as Record<string, string>;
    };
    await post('/identities', { handle: 'st_user', displayName: 'Contract' });
    ids.station = (await post('/stations', { name: 'Contract TV' })).id!;
    const startAt = new Date(Date.now() + 86_400_000).toISOString();
    ids.show = (await post(`/stations/${ids.station}/shows`, { title: 'Pilot', startAt, durationMinutes: 30 })).showId!;
    ids.content = (await post('/content', { title: 'Clip', type: 'video' })).id!;
  });

  it('finds no failure on any operation', async () => {
    const { command, env } = ensureSchemathesis();
    const dir = mkdtempSync(join(tmpdir(), 'schemathesis-'));
    const configFile = join(dir, 'schemathesis.toml');
    writeFileSync(configFile, schemathesisConfig(ids));
    const report = join(dir, 'report');
    const args = [
      '--config-file',
      configFile,
      'run',
      `${baseUrl}/openapi.json`,
      '--header',
      `Authorization: ${authorization}`,
      '--checks',
      [
        'not_a_server_error',
        'status_code_conformance',
        'content_type_conformance',
        'response_headers_conformance',
        'response_schema_conformance',
        'negative_data_rejection',
        'positive_data_acceptance',
        'unsupported_method',
      ].join(','),
      // The unversioned /api/brain paths run the same handlers as /api/v1/brain: fuzzing them twice finds nothing
      // new. Live streams stay open until the client goes (test/integration/live.test.ts covers them).
      '--exclude-path-regex',
      '^/api/(brain|v1/live)/',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      process.env.CONTRACT_MAX_EXAMPLES ?? '5',
      // One worker: with two threads Hypothesis' ast.parse on Python 3.11.7 can fail with "AST constructor recursion
      // depth mismatch" (CPython's parser was not thread-safe there), a runtime error that fails the run.
      '--workers',
      '1',
      '--seed',
      '1',
      // Workflow-backed writes wait for the workflow; on a loaded machine that can take a while.
      '--request-timeout',
      '30',
      // Known failures, each to be fixed in its route (see docs/client.md); anything else fails the build.
      '--baseline',
      BASELINE,
      ...(process.env.CONTRACT_BASELINE_UPDATE ? ['--baseline-update'] : []),
      '--report',
      'junit',
      '--report-dir',
      report,
    ];
    const { code, output } = await run(command, args, env, dir);
    assert.equal(code, 0, `schemathesis found contract failures:\n${output.slice(-20_000)}`);
    // The report's name carries a timestamp (junit-<time>.xml).
    const junit = readdirSync(report).find((name) => name.startsWith('junit') && name.endsWith('.xml'));
    assert.ok(junit, `a JUnit report in ${report}`);
    assert.match(readFileSync(join(report, junit), 'utf8'), /testcase/, 'schemathesis ran test cases');
  });
});

/**
 * Expected answers to a schema-valid request: success, or a rule no schema can express (not yours 403, gone 404,
 * state conflict 409, business rule 422). A 400 (the request fails the schema) is a failure.
 */
function schemathesisConfig(ids: { user: string; station: string; show: string; content: string }): string {
  return `
[checks.positive_data_acceptance]
expected-statuses = ["2XX", "3XX", 401, 403, 404, 409, 422]

[parameters]
"path.stationId" = "${ids.station}"
"path.showId" = "${ids.show}"

[[operations]]
include-path-regex = "^/api/v1/(users|identities|creators)/"
parameters = { "path.id" = "${ids.user}", "path.handleOrId" = "${ids.user}" }

[[operations]]
include-path-regex = "^/api/v1/content/"
parameters = { "path.id" = "${ids.content}" }

# A batch answers 202 with bad items listed in rejected[] (a bad item never sinks the good ones), so an invalid
# item is not "accepted" there: it is reported back, item by item.
[[operations]]
include-operation-id = "postEvents"
checks.negative_data_rejection.enabled = false
`;
}

async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; output: string }> {
  // In the run's own folder: schemathesis keeps a cache in .schemathesis/ under its working directory.
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  if (process.env.CONTRACT_VERBOSE) console.log(output);
  return { code, output };
}
