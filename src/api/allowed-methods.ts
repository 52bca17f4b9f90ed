import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyInstance } from 'fastify';

export interface AllowedMethods {
  /** The methods a concrete path answers, for a 405's `Allow` header. */
  of(path: string): string[];
  /**
   * The methods of a static route at exactly this path, when the request reached a parametric route instead: GET
   * `/leaderboards/rebuild` lands on `/leaderboards/:board`, but the document lists `/leaderboards/rebuild` as
   * its own path (POST only), so a client is told 405 rather than "no such board".
   */
  ofStaticPath(path: string): string[] | undefined;
}

/**
 * A second router holding every route's method and pattern, with no handlers, consulted only when the real router
 * found nothing for the request's method or matched a parametric route where a static path exists.
 */
export function trackAllowedMethods(fastify: FastifyInstance): AllowedMethods {
  const router = FindMyWay({ ignoreTrailingSlash: false });
  const methods = new Set<HTTPMethod>();
  const staticPaths = new Map<string, Set<string>>();
  fastify.addHook('onRoute', (route) => {
    // Catch-alls (the CORS preflight's `OPTIONS *`) match every path, so they say nothing about this one.
    if (route.url === '*' || route.url === '/*') return;
    for (const method of [route.method].flat() as HTTPMethod[]) {
      if (!router.hasRoute(method, route.url)) router.on(method, route.url, () => undefined);
      methods.add(method);
      if (!/[:*]/.test(route.url)) staticPaths.set(route.url, (staticPaths.get(route.url) ?? new Set()).add(method));
    }
  });
  return {
    of: (path) => [...methods].filter((method) => router.find(method, path) !== null).sort(),
    ofStaticPath: (path) => {
      const found = staticPaths.get(path);
      return found ? [...found].sort() : undefined;
    },
  };
}
