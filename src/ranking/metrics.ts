import { Counter } from 'prom-client';

/** Default registry (process-wide), so the API's /metrics shows these; created once per process. */
export const rankerFallbacks = new Counter({
  name: 'feed_ranker_fallbacks_total',
  help: 'Feeds ranked by the rule-based fallback because the ONNX model was missing, refused or failed, by path',
  labelNames: ['path'] as const,
});

export const feedsServed = new Counter({
  name: 'feed_responses_total',
  help: 'GET /feed pages served, by source (precomputed, online) and ranker (onnx, fallback)',
  labelNames: ['source', 'ranker'] as const,
});
