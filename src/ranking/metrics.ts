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

export const feedPagesByModel = new Counter({
  name: 'feed_pages_by_model_total',
  help: 'GET /feed pages served, by the model version that ranked them and the traffic-split arm (current, candidate)',
  labelNames: ['model_version', 'arm'] as const,
});
