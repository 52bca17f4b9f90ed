/**
 * What a lane's workflows cost Temporal, read from their histories: the mean number of history events per workflow
 * and the kinds that dominate (workflow tasks, timers, local-activity markers, search-attribute upserts, activities,
 * signals). The server's work per event grows with these, so they explain a lane's ratio to the bare lane.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const SAMPLE = 20;

const KINDS: [label: string, types: proto.temporal.api.enums.v1.EventType[]][] = [
  ['workflow tasks', [EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED]],
  ['task timeouts/failures', [EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]],
  ['signals', [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]],
  ['timers started', [EventType.EVENT_TYPE_TIMER_STARTED]],
  ['local activities', [EventType.EVENT_TYPE_MARKER_RECORDED]],
  ['search-attribute upserts', [EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]],
  ['activities', [EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]],
  ['signals sent', [EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED]],
];

/** One line: mean history events per workflow over a sample of `workflowIds`, and their main kinds. */
export async function historyShape(client: Client, workflowIds: readonly string[]): Promise<string> {
  const step = Math.max(1, Math.floor(workflowIds.length / SAMPLE));
  const sample = workflowIds.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const histories = await Promise.all(sample.map((id) => client.workflow.getHandle(id).fetchHistory()));
  const mean = (count: (events: HistoryEvent[]) => number) =>
    (histories.reduce((sum, h) => sum + count(h.events ?? []), 0) / Math.max(1, histories.length)).toFixed(1);
  const kinds = KINDS.map(
    ([label, types]) => `${label} ${mean((events) => events.filter((e) => types.includes(e.eventType ?? 0)).length)}`,
  );
  return `history per workflow (${histories.length} sampled): ${mean((e) => e.length)} events; ${kinds.join(', ')}`;
}
