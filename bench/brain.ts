/**
 * Brain Mode latency: `understand` (typo correction, chain splitting, classification, slots, the planner's safety
 * rule) per utterance, p50/p95/p99/max over every shipped and held-out utterance plus typo'd and chained variants,
 * against a baseline measured in the same run: the text clean-up and tokenising pass alone, which every utterance
 * needs anyway. The budget is p99 under 5 ms; the bench exits 1 above it. Prints figures; it is not a test.
 * Run: npx tsx bench/brain.ts (or npm run bench -- brain). BENCH_ROUNDS sets how often the set is run (default 20).
 */
import { understand } from '../src/api/routes/brain/plan.js';
import { heldOutUtterances } from '../src/nlp/intents/evaluation.js';
import { shippedUtterances } from '../src/nlp/intents/model.js';

const P99_BUDGET_MS = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const clock = { timezone: 'Europe/Berlin', nowMs: Date.parse('2026-06-10T10:00:00Z') };
const screen = { contentId: 'bench-item', creatorId: 'bench-creator', stationId: 'bench-station' };

const base = [...shippedUtterances(), ...heldOutUtterances()].map((u) => u.text);
// Slips in the verb (doubled, dropped letter) and chains exercise the correction and the chain splitter.
const typod = base.slice(0, 200).map((t) => t.replace(/^(\w)(\w)/, '$1$2$2'));
const chained = base.slice(0, 100).map((t, i) => `${t} and then ${base[(i * 7) % base.length] ?? ''}`);
const texts = [...base, ...typod, ...chained];

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

// A different leading filler each round (dropped before classification) makes every measured text new to the
// text memo, as live traffic would be, without changing what it means.
const FILLERS = ['', 'um', 'uh', 'hey', 'ok', 'so', 'yo', 'okay', 'hmm', 'please'];
const variant = (text: string, round: number): string => {
  const lead = [FILLERS[round % FILLERS.length], FILLERS[Math.floor(round / FILLERS.length) % FILLERS.length]];
  return `${lead.filter(Boolean).join(' ')} ${text}`.trim();
};

interface Samples {
  wall: number[];
  /** CPU time of this process: on a machine shared with other jobs, the wall clock also counts waiting for a core. */
  cpu: number[];
}

function measure(run: (text: string) => unknown): Samples {
  for (const text of texts) run(variant(text, ROUNDS)); // warm-up: model load, JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const text of texts) {
      const input = variant(text, round);
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      run(input);
      wall.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  return { wall, cpu };
}

// The baseline: the least any understanding does, lowercasing and splitting the text into words.
const tokenised = measure((text) => text.toLowerCase().split(/\s+/));
const full = measure((text) => understand(text, clock, screen));

const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`utterances: ${texts.length} distinct × ${ROUNDS} rounds (a new filler each round)`);
console.log(`${'case'.padEnd(40)} ${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(10)).join(' ')}`);
const rows = [
  ['baseline: lowercase + split, wall', percentiles(tokenised.wall)],
  ['baseline: lowercase + split, cpu', percentiles(tokenised.cpu)],
  ['understand (full planner), wall', percentiles(full.wall)],
  ['understand (full planner), cpu', percentiles(full.cpu)],
] as const;
for (const [name, p] of rows) {
  console.log(`${name.padEnd(40)} ${[p.p50, p.p95, p.p99, p.max].map((x) => ms(x).padStart(10)).join(' ')}`);
}
const wall = percentiles(full.wall);
const cpu = percentiles(full.cpu);
console.log(
  `understand / baseline, wall p50: ${(wall.p50 / Math.max(percentiles(tokenised.wall).p50, 1e-6)).toFixed(0)}×`,
);
// The wall p99 also holds the time the process waited for a core while other jobs ran; the budget is held on CPU.
console.log(`p99 budget ${P99_BUDGET_MS} ms (cpu): ${cpu.p99 < P99_BUDGET_MS ? 'met' : 'MISSED'}`);
process.exit(cpu.p99 < P99_BUDGET_MS ? 0 : 1);
