import { Context } from '@temporalio/activity';
import type { Dispatcher } from 'undici';
import type { MessageChannel } from '../src/channels/channel';
import type { ConversationRequest, ConversationResult, FlexHandoff, FlexHandoffResult, HttpRequest, HttpResult, OutboundMessage, OutgoingCall, PlaceCallResult, RecordingRequest, RecordingResult, RevisionChoice, SendResult } from '../src/engine/effects';
import type { FlowStore } from '../src/store/flow-store';
import { performHttpRequest } from './http-request';
import { recordEvents, type EventBatch } from './record-events';
import type { EventOutbox } from '../src/store/event-outbox';
import type { Metrics } from '../src/observability/metrics';
import { loadFlowRevision, type LoadedRevision } from './load-flow-revision';

/**
 * The execution's I/O: every side effect a widget needs is an activity built here from its
 * dependencies. Workflow code imports only the type.
 */
export interface ActivityDependencies {
  readonly store: FlowStore;
  readonly account: { readonly accountSid: string; readonly authToken: string };
  /** The egress-checked HTTP agent. */
  readonly dispatcher: Dispatcher;
  /** Tests only: send outbound HTTP to a local stand-in instead of the internet. */
  readonly rewriteUrl?: (url: URL) => URL;
  /** Where messages go: the local inbox or Twilio (CHANNEL_PROVIDER). */
  readonly channel: MessageChannel;
  /** PUBLIC_URL: status callbacks come back here. */
  readonly publicUrl: string;
  /** Where execution and step events are kept until every sink has them. */
  readonly outbox: EventOutbox;
  readonly metrics?: Metrics;
  /** Told when new events are stored, so delivery starts at once instead of at the next poll. */
  readonly eventsRecorded?: () => void;
}

/** How often a running HTTP call tells Temporal it is alive, which is how it learns of a cancel. */
const HEARTBEAT_MS = 1_000;

/** The execution's workflow ID starts with its flow SID (a subflow's: its parent's). */
function messageStatusUrl(deps: ActivityDependencies, workflowId: string): string {
  return `${deps.publicUrl}/v1/Accounts/${deps.account.accountSid}/Flows/${workflowId.split(':')[0]}/MessageStatus?WorkflowId=${encodeURIComponent(workflowId)}`;
}

/**
 * Stores the events a sent message carries; the last sequence stored, or none when the store
 * could not take them now — the message goes all the same, and the execution's next wait
 * hands the events over instead.
 */
async function carryEvents(deps: ActivityDependencies, batch: EventBatch): Promise<number | undefined> {
  try {
    await recordEvents(deps, batch);
    return batch.events[batch.events.length - 1]?.sequence;
  } catch (err) {
    Context.current().log.warn('events not stored with the message; the next wait stores them', { error: (err as Error).message });
    return undefined;
  }
}

export function createActivities(deps: ActivityDependencies) {
  return {
    httpRequest: async (request: HttpRequest): Promise<HttpResult> => {
      const context = Context.current();
      const timer = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        // An ended execution cancels its in-flight call instead of letting it run to the timeout.
        return await performHttpRequest(deps, request, context.cancellationSignal);
      } finally {
        clearInterval(timer);
      }
    },
    loadFlowRevision: (flowSid: string, choice: RevisionChoice): Promise<LoadedRevision> => loadFlowRevision(deps.store, flowSid, choice),
    sendMessage: async ({ events, ...outbound }: OutboundMessage & { readonly alreadySent?: readonly string[]; readonly events?: EventBatch }): Promise<SendResult & { readonly eventsRecordedThrough?: number }> => {
      const { workflowExecution, attempt, scheduledTimestampMs } = Context.current().info;
      const recorded = events ? await carryEvents(deps, events) : undefined;
      const message = { ...outbound, firstAttemptAt: scheduledTimestampMs };
      const workflowId = workflowExecution?.workflowId;
      const sent = await (workflowId ? deps.channel.send({ ...message, statusCallback: messageStatusUrl(deps, workflowId) }, attempt) : deps.channel.send(message, attempt));
      return recorded === undefined ? sent : { ...sent, eventsRecordedThrough: recorded };
    },
    placeCall: (call: OutgoingCall): Promise<PlaceCallResult> => {
      const { workflowExecution, attempt } = Context.current().info;
      const workflowId = workflowExecution?.workflowId ?? '';
      const webhook = `${deps.publicUrl}/v1/Accounts/${deps.account.accountSid}/Flows/${workflowId.split(':')[0]}`;
      const id = encodeURIComponent(workflowId);
      return deps.channel.placeCall(
        { ...call, url: `${webhook}?FlowEvent=answered&WorkflowId=${id}&StepSid=${call.stepSid}`, statusCallback: `${webhook}?FlowEvent=status&WorkflowId=${id}` },
        attempt,
      );
    },
    recordEvents: (batch: EventBatch): Promise<number> => recordEvents(deps, batch),
    recordCall: (request: RecordingRequest): Promise<RecordingResult> => deps.channel.recordCall(request),
    handoffToFlex: (request: FlexHandoff): Promise<FlexHandoffResult> => deps.channel.handoffToFlex(request),
    // The Conversation's new messages come back to the flow webhook, addressed to this execution.
    conversation: (request: ConversationRequest): Promise<ConversationResult> => {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
      const webhookUrl = `${deps.publicUrl}/v1/Accounts/${deps.account.accountSid}/Flows/${workflowId.split(':')[0]}?WorkflowId=${encodeURIComponent(workflowId)}`;
      return deps.channel.conversation({ ...request, webhookUrl });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
