import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  stop(): void;
}

/**
 * A progress bar with counts, rate and ETA on stderr for long commands. Off a terminal (CI, a pipe, a test) it
 * prints a plain line every few seconds instead of redrawing.
 */
export function startProgress(label: string, total: number): Progress {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {duration_formatted}`,
      stream: process.stderr,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5_000,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}
