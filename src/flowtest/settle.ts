import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;
const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

export type Settled = 'ended' | 'waiting' | 'busy';

/**
 * Whether an execution has settled, read from its history — the server's own record, so no
 * race with the worker: a signal or update is in history with a workflow task scheduled before
 * the call that sent it returns. Settled ("waiting") means no workflow task is pending, every
 * activity it scheduled is closed, and every subflow it runs has settled in turn: only a timer,
 * a reply or a call webhook can move it on. Time is locked meanwhile, so timers wait for the test.
 */
export async function settledState(client: Client, namespace: string, workflowId: string): Promise<Settled> {
  const described = await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } });
  const info = described.workflowExecutionInfo;
  if (info?.status !== RUNNING) return 'ended';
  const runId = info.execution?.runId ?? undefined;
  const pending = await pendingWork(client, namespace, workflowId, runId);
  if (pending.busy) return 'busy';
  for (const child of pending.children) {
    if ((await settledState(client, namespace, child)) === 'busy') return 'busy';
  }
  return 'waiting';
}

async function pendingWork(client: Client, namespace: string, workflowId: string, runId: string | undefined): Promise<{ busy: boolean; children: string[] }> {
  let workflowTaskOpen = false;
  const activities = new Set<string>();
  const children = new Map<string, string>();
  let startingChildren = 0;
  let signalling = 0;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId }, nextPageToken, maximumPageSize: 1000 });
    for (const event of page.history?.events ?? []) {
      const id = String(event.eventId);
      switch (event.eventType) {
        case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
          workflowTaskOpen = true;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
          workflowTaskOpen = false;
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
          activities.add(id);
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
          activities.delete(String(event.activityTaskCompletedEventAttributes?.scheduledEventId));
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
          activities.delete(String(event.activityTaskFailedEventAttributes?.scheduledEventId));
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
          activities.delete(String(event.activityTaskTimedOutEventAttributes?.scheduledEventId));
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
          activities.delete(String(event.activityTaskCanceledEventAttributes?.scheduledEventId));
          break;
        case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
          startingChildren++;
          break;
        case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
          startingChildren--;
          break;
        case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: {
          startingChildren--;
          const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
          if (child) children.set(child, child);
          break;
        }
        case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
        case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
        case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
        case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED:
        case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: {
          const attributes =
            event.childWorkflowExecutionCompletedEventAttributes ??
            event.childWorkflowExecutionFailedEventAttributes ??
            event.childWorkflowExecutionCanceledEventAttributes ??
            event.childWorkflowExecutionTerminatedEventAttributes ??
            event.childWorkflowExecutionTimedOutEventAttributes;
          const child = attributes?.workflowExecution?.workflowId;
          if (child) children.delete(child);
          break;
        }
        case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
          signalling++;
          break;
        case EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
        case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
          signalling--;
          break;
        default:
          break;
      }
    }
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { busy: workflowTaskOpen || activities.size > 0 || startingChildren > 0 || signalling > 0, children: [...children.values()] };
}
