import { Counter } from 'prom-client';

/** Registered on prom-client's default registry, which the API's /metrics serves. */
export const temporalSignals = new Counter({
  name: 'temporal_signals_total',
  help: 'Signals (and signal-with-starts) sent to workflows',
  labelNames: ['workflow', 'outcome'] as const,
});
