import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { OpsCommand } from '../command.js';
import { onlineMetricsReport, type MetricsBucket, type OnlineMetricsReport } from '../../learning/online-metrics.js';

/**
 * The online metrics per model over time (src/learning/online-metrics.ts, the operator route's report): a table
 * by default, one JSON document with --json, a PNG chart with --png (models/online_charts.py, in a repository
 * checkout with python3; the packages install into MODELS_PY_DIR like the training's).
 */
const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
const MAX_WINDOW_HOURS = 24 * 90;
const BUCKETS: readonly MetricsBucket[] = ['total', 'hour', 'day'];

/** `36h`, `7d`: the window back from now, in hours (at most 90 days, as the route allows). */
export function parseWindow(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([hd])$/.exec(value);
  const hours = match ? Number(match[1]) * (match[2] === 'd' ? 24 : 1) : NaN;
  if (!(hours > 0 && hours <= MAX_WINDOW_HOURS)) {
    throw new Error(`--since: "${value}" is not a window like 36h or 7d (at most 90d)`);
  }
  return hours;
}

function parseBucket(value: string): MetricsBucket {
  const bucket = BUCKETS.find((b) => b === value);
  if (!bucket) throw new Error(`--bucket: "${value}" is not one of ${BUCKETS.join(', ')}`);
  return bucket;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function renderTable(report: OnlineMetricsReport): string {
  const { current, candidate, candidateShare } = report.serving;
  const serving = current
    ? `current ${current.modelVersion}` +
      (candidate ? `, candidate ${candidate.modelVersion} for ${percent(candidateShare)} of users` : '')
    : 'the committed model (no registry pointer)';
  const lines = [
    `Online metrics per model since ${report.since} (${report.bucket === 'total' ? 'whole window' : `per ${report.bucket}`}); serving ${serving}`, // prettier-ignore
    `eng@${report.k}: pages showing the first ${report.k} positions with an engagement there; other rates per shown item`,
    '',
  ];
  if (report.rows.length === 0) return [...lines, 'no joined impressions in the window'].join('\n');
  const header = [report.bucket === 'total' ? '' : report.bucket, 'model', 'arm', 'pages', 'items', `eng@${report.k}`, 'engaged', 'like', 'share', 'skip']; // prettier-ignore
  const cells = report.rows.map((r) => [
    r.bucketStart ? (report.bucket === 'day' ? r.bucketStart.slice(0, 10) : `${r.bucketStart.slice(0, 13)}h`) : '',
    r.modelVersion,
    r.arm,
    String(r.pages),
    String(r.items),
    percent(r.engagementRateAtK),
    percent(r.engagedItemRate),
    percent(r.likeRate),
    percent(r.shareRate),
    percent(r.skipRate),
  ]);
  const keep = report.bucket === 'total' ? 1 : 0; // no empty bucket column for the totals
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const row = (c: string[]) =>
    c
      .slice(keep)
      .map((v, i) => (i + keep < 3 ? v.padEnd(widths[i + keep] as number) : v.padStart(widths[i + keep] as number)))
      .join('  ')
      .trimEnd();
  return [...lines, row(header), ...cells.map(row)].join('\n');
}

/** Draws the report with models/online_charts.py after models/py-env.sh has the packages in place. */
async function drawPng(report: OnlineMetricsReport, file: string): Promise<void> {
  const script = join(MODELS_DIR, 'online_charts.py');
  if (!existsSync(script)) throw new Error(`--png needs a repository checkout with python3 (${script} not found)`);
  const repo = resolve(MODELS_DIR, '..');
  const { stdout } = await promisify(execFile)('bash', [join(MODELS_DIR, 'py-env.sh')], { cwd: repo });
  const pythonPath = resolve(repo, stdout.trim());
  const child = spawn('python3', [script, file], {
    env: { ...process.env, PYTHONPATH: pythonPath, MPLBACKEND: 'Agg', PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  child.stdin.end(JSON.stringify(report));
  const code = await exited;
  if (code !== 0) throw new Error(`models/online_charts.py exited with ${code}`);
}

export const modelMetricsCommand: OpsCommand = {
  define(program, context) {
    program
      .command('model-metrics')
      .description('online metrics per model version over time: engagement at k, like, share and skip rates')
      .option('--since <window>', 'how far back, like 36h or 7d (at most 90d)', '7d')
      .option('--bucket <bucket>', 'one row per model and hour, day, or total over the window', 'day')
      .option('--json', 'print one JSON document (the operator route GET /api/v1/learning/online-metrics)')
      .option('--png <file>', 'also draw the series as a PNG (python3 with matplotlib; needs --bucket hour or day)')
      .action(async (options: { since: string; bucket: string; json?: boolean; png?: string }) => {
        const hours = parseWindow(options.since);
        const bucket = parseBucket(options.bucket);
        if (options.png && bucket === 'total') throw new Error('--png draws a series: use --bucket hour or day');
        const ctx = context();
        const { db } = await ctx.mongo();
        const serving = { modelPath: ctx.config.RANKING_MODEL_PATH, candidateShare: ctx.config.MODEL_CANDIDATE_SHARE };
        const report = await onlineMetricsReport(db, serving, Date.now() - hours * 3_600_000, bucket);
        ctx.print(options.json ? JSON.stringify(report, null, 2) : renderTable(report));
        if (options.png) {
          await drawPng(report, options.png);
          ctx.note(`wrote ${options.png}`);
        }
      });
  },
};
