/**
 * The container HEALTHCHECK (Dockerfile): exits 0 when HEALTHCHECK_URL (default: this container's API /health)
 * answers 200 within 3 s. Plain node, since the slim image has no curl; the worker's service sets the URL to its
 * operations port.
 */
const url = process.env.HEALTHCHECK_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}/health`;
const healthy = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
  (response) => response.ok,
  () => false,
);
process.exit(healthy ? 0 : 1);
