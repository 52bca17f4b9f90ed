import type { SearchAttributeType } from '@temporalio/common';
import type { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

/** What defineSearchAttributeKey returns (the SDK does not export the interface from its root). */
interface SearchAttributeKey {
  name: string;
  type: SearchAttributeType;
}

type AddSearchAttributesRequest = Parameters<Connection['operatorService']['addSearchAttributes']>[0];
/** The operator service's IndexedValueType enum, named without importing @temporalio/proto. */
type IndexedValueType = NonNullable<AddSearchAttributesRequest['searchAttributes']>[string];

/** SDK key types → the proto enum values the operator service speaks (temporal.api.enums.v1). */
const INDEXED_VALUE_TYPES: Record<SearchAttributeType, IndexedValueType> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

export function indexedValueTypeOf(type: SearchAttributeType): IndexedValueType {
  return INDEXED_VALUE_TYPES[type];
}

export interface SearchAttributePlan {
  missing: Record<string, IndexedValueType>;
  /** Names already registered with another type: the server cannot change a type, so we stop. */
  conflicts: string[];
}

/** Pure: which wanted keys the namespace lacks, given what it lists as registered. */
export function planSearchAttributes(
  registered: Record<string, IndexedValueType>,
  wanted: readonly SearchAttributeKey[],
): SearchAttributePlan {
  const plan: SearchAttributePlan = { missing: {}, conflicts: [] };
  for (const key of wanted) {
    const want = indexedValueTypeOf(key.type);
    const have = registered[key.name];
    if (have === undefined) plan.missing[key.name] = want;
    else if (have !== want) plan.conflicts.push(`${key.name} (registered as type ${have}, wanted ${want})`);
  }
  return plan;
}

/**
 * Registers every key of ALL_SEARCH_ATTRIBUTES on the namespace, idempotently: list first, add
 * only what is missing. Returns the names it added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const plan = planSearchAttributes(listed.customAttributes ?? {}, ALL_SEARCH_ATTRIBUTES);
  if (plan.conflicts.length > 0) {
    throw new Error(
      `Temporal namespace "${namespace}" has search attributes of another type: ${plan.conflicts.join('; ')}`,
    );
  }
  const names = Object.keys(plan.missing);
  if (names.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: plan.missing });
  } catch (error) {
    // Another launcher may have added them between our list and add; re-listing tells.
    const again = await connection.operatorService.listSearchAttributes({ namespace });
    const stillMissing = planSearchAttributes(again.customAttributes ?? {}, ALL_SEARCH_ATTRIBUTES).missing;
    if (Object.keys(stillMissing).length > 0) throw error;
  }
  return names;
}
