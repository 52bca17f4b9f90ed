import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyInstance } from 'fastify';

/**
 * Which methods a concrete path answers, for a 405's `Allow` header: a second router holding every route's method
 * and pattern, with no handlers, consulted only when the real router found nothing for the request's method.
 */
export function trackAllowedMethods(fastify: FastifyInstance): (path: string) => string[] {
  const router = FindMyWay({ ignoreTrailingSlash: false });
  const methods = new Set<HTTPMethod>();
  fastify.addHook('onRoute', (route) => {
    // Catch-alls (the CORS preflight's `OPTIONS *`) match every path, so they say nothing about this one.
    if (route.url === '*' || route.url === '/*') return;
    for (const method of [route.method].flat() as HTTPMethod[]) {
      if (!router.hasRoute(method, route.url)) router.on(method, route.url, () => undefined);
      methods.add(method);
    }
  });
  return (path) => [...methods].filter((method) => router.find(method, path) !== null).sort();
}
