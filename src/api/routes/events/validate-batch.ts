import { Compile } from 'typebox/compile';
import type { FieldError } from '../../problems.js';
import { EngagementEventInput } from '../../schemas/events.js';

const checkEvent = Compile(EngagementEventInput);

/** Clock skew we tolerate from client devices before calling an event "in the future". */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export interface ItemRejection {
  index: number;
  eventId?: string;
  errors: FieldError[];
}

export interface ValidatedBatch {
  valid: { index: number; event: EngagementEventInput }[];
  rejected: ItemRejection[];
}

/** Checks every item on its own; paths point into the request body (`/events/3/type`). */
export function validateBatch(items: unknown[], nowMs: number): ValidatedBatch {
  const valid: ValidatedBatch['valid'] = [];
  const rejected: ItemRejection[] = [];
  items.forEach((item, index) => {
    const errors = itemErrors(item, nowMs).map((e) => ({ ...e, path: `/events/${index}${e.path}` }));
    if (errors.length === 0) valid.push({ index, event: item as EngagementEventInput });
    else rejected.push({ index, ...eventIdOf(item), errors });
  });
  return { valid, rejected };
}

function itemErrors(item: unknown, nowMs: number): FieldError[] {
  if (!checkEvent.Check(item)) {
    // One message per field is enough for a client; a missing field is named by its own path, not the object's.
    const byPath = new Map<string, string>();
    for (const e of checkEvent.Errors(item)) {
      const missing =
        e.keyword === 'required' ? (e.params as { requiredProperties?: string[] }).requiredProperties : undefined;
      if (missing) for (const name of missing) byPath.set(`${e.instancePath}/${name}`, 'is required');
      else if (e.keyword !== 'boolean' && !byPath.has(e.instancePath)) byPath.set(e.instancePath, e.message);
    }
    return [...byPath].map(([path, message]) => ({ path, message }));
  }
  const occurredAtMs = Date.parse(item.occurredAt);
  if (occurredAtMs > nowMs + MAX_FUTURE_SKEW_MS) return [{ path: '/occurredAt', message: 'must not be in the future' }];
  return [];
}

function eventIdOf(item: unknown): { eventId?: string } {
  const id = (item as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' ? { eventId: id } : {};
}
