import type { TSchema } from 'typebox';
import * as brain from '../schemas/brain.js';
import * as common from '../schemas/common.js';
import * as content from '../schemas/content.js';
import * as creators from '../schemas/creators.js';
import * as devTokens from '../schemas/dev-tokens.js';
import * as events from '../schemas/events.js';
import * as feed from '../schemas/feed.js';
import * as health from '../schemas/health.js';
import * as identities from '../schemas/identities.js';
import * as leaderboards from '../schemas/leaderboards.js';
import * as notifications from '../schemas/notifications.js';
import * as similarUsers from '../schemas/similar-users.js';
import * as social from '../schemas/social.js';
import * as stations from '../schemas/stations.js';
import * as users from '../schemas/users.js';

type Json = Record<string, unknown>;

const SCHEMA_MODULES = [
  common,
  events,
  brain,
  content,
  creators,
  devTokens,
  feed,
  health,
  identities,
  leaderboards,
  notifications,
  similarUsers,
  social,
  stations,
  users,
];

/** Request parts that become OpenAPI parameters, not schemas. */
const PARAMETER_SCHEMA = /(Params|Query|Headers)$/;

/**
 * Every object schema exported from src/api/schemas/** under its export name: the resources, request bodies,
 * problem details. These names are the component names clients see (`components.schemas.Station`), so an export
 * rename is a client-visible change.
 */
export function namedSchemas(): Map<string, Json> {
  const named = new Map<string, Json>();
  for (const module of SCHEMA_MODULES) {
    const exports = { ...(module as Record<string, unknown>), ...events.ENGAGEMENT_EVENT_VARIANTS };
    for (const [name, value] of Object.entries(exports)) {
      if (!/^[A-Z]/.test(name) || PARAMETER_SCHEMA.test(name) || named.has(name) || !isObjectSchema(value)) continue;
      named.set(name, plain(value));
    }
  }
  return named;
}

function isObjectSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && (value as Json).type === 'object' && 'properties' in value;
}

function plain(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** A key that is the same for two schemas exactly when they are equal as JSON (object member order ignored). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Moves every copy of a named schema in the document into `components.schemas` and points at it with `$ref`,
 * then names the pages that list them (`StationPage` for `{ items: Station[], nextCursor }`). The routes keep their
 * TypeBox schemas (one object for validation, serialisation and types); only the document is factored, so
 * generators emit one type per resource instead of one per route.
 */
export function factorComponents(doc: Json, named: Map<string, Json>): void {
  const components = ((doc.components as Json | undefined) ?? (doc.components = {})) as Json;
  const schemas = ((components.schemas as Json | undefined) ?? (components.schemas = {})) as Json;
  const byShape = new Map<string, string>();
  for (const [name, schema] of named) if (!byShape.has(canonical(schema))) byShape.set(canonical(schema), name);

  const used = new Set<string>();
  const replace = (node: unknown, isRoot: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => replace(item, false));
    if (!node || typeof node !== 'object') return node;
    const name = isRoot ? undefined : byShape.get(canonical(node));
    if (name) {
      used.add(name);
      return ref(name);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value, false)]));
  };

  doc.paths = replace(doc.paths, true);
  // Components used by components: resolve until no new name turns up.
  const done = new Set<string>();
  while ([...used].some((name) => !done.has(name))) {
    for (const name of [...used]) {
      if (done.has(name)) continue;
      done.add(name);
      schemas[name] = replace(named.get(name), true);
    }
  }
  nameListPages(doc, schemas);
}

function nameListPages(doc: Json, schemas: Json): void {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const itemName = pageItemName(node as Json);
    if (itemName) {
      const pageName = `${itemName}Page`;
      schemas[pageName] ??= {
        ...(node as Json),
        description: `One page of ${itemName} items; pass nextCursor as ?cursor= for the next page (null: last page)`,
      };
      return ref(pageName);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
  };
  doc.paths = visit(doc.paths);
}

function pageItemName(node: Json): string | undefined {
  const properties = node.properties as Json | undefined;
  if (node.type !== 'object' || !properties || Object.keys(properties).length !== 2 || !('nextCursor' in properties))
    return undefined;
  const items = properties.items as Json | undefined;
  const itemRef = (items?.items as Json | undefined)?.$ref;
  return typeof itemRef === 'string' ? itemRef.split('/').pop() : undefined;
}
