/**
 * The `operationId` of every route, derived from its method and path so no route file has to name one and a new
 * route cannot forget to. The rule (docs/client.md): the HTTP method in lower case, then each path segment after
 * `/api/v1` in PascalCase, a `:param` segment as `By<Param>`; routes also served at the unversioned `/api/...`
 * paths end in `Unversioned`. `GET /api/v1/stations/:stationId/shows` → `getStationsByStationIdShows`. Renaming a
 * path renames its operation, which is a breaking change for clients anyway.
 */
export function operationIdFor(method: string, url: string): string {
  let path = url;
  let suffix = '';
  if (path === '/api/v1' || path.startsWith('/api/v1/')) path = path.slice('/api/v1'.length);
  else if (path.startsWith('/api/')) {
    path = path.slice('/api'.length);
    suffix = 'Unversioned';
  }
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `By${pascal(segment.slice(1))}` : pascal(segment)));
  return method.toLowerCase() + words.join('') + suffix;
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}
