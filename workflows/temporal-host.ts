import { condition, executeChild, isCancellation, patched, proxyActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { answer, hasCall, lendCall, takeBackBuffer, type LentCall } from '../src/engine/call';
import { recordSent } from '../src/engine/mailbox';
import type {
  ConversationRequest,
  ConversationResult,
  HttpRequest,
  HttpResult,
  OutboundMessage,
  OutgoingCall,
  PlaceCallResult,
  ReplyOutcome,
  SendResult,
  SubflowRequest,
  SubflowResult,
} from '../src/engine/effects';
import type { VoiceOutcome, VoiceRequest } from '../src/engine/voice';
import type { EngineHost } from '../src/engine/host';
import type { ExecutionState } from '../src/engine/state';
import type { FlowExecutionInput, FlowExecutionWorkflow } from './execution-input';
import type { EventRecorder } from './event-recorder';
import type { ExecutionView } from './execution-view';
import { answerLender, relayToSubflow } from './lent-call';

/** Slack on top of the HTTP limit, so the activity times out after the call itself would. */
const HTTP_ACTIVITY_SLACK_MS = 5_000;

// Reading a revision is idempotent: retry briefly through a store hiccup.
const { loadFlowRevision } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 3 } });

/**
 * Retries for requests to Twilio that carry an idempotency key (sends, Calls, Conversations):
 * retrying a provider outage or a lost worker never acts twice; a refusal (4xx) is a result,
 * not an error, and is not retried.
 */
const IDEMPOTENT_TWILIO_RETRY = { maximumAttempts: 5, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;

// A lost worker is noticed when the attempt times out: keep it short, the channel call is bounded at 10 s.
const { sendMessage: send } = proxyActivities<Activities>({ startToCloseTimeout: '12 seconds', retry: IDEMPOTENT_TWILIO_RETRY });

/** What the host does around waits: show where the execution stands and hand over its events. */
export interface HostObservers {
  readonly recorder: EventRecorder;
  readonly view: ExecutionView;
}

/** Before the workflow waits on anything: the UI shows the wait, and the steps so far become events. */
type Settle = (what: string) => Promise<void>;

/**
 * The engine host inside a workflow: time is workflow time, ids come from the workflow's seeded
 * randomness, I/O runs as activities and subflows as child workflows — so a replay produces
 * the same steps.
 */
export function temporalHost(input: FlowExecutionInput, state: ExecutionState, children: ChildTracker, observers: HostObservers): EngineHost {
  const settle: Settle = async (what) => {
    observers.view.waiting(what);
    await observers.recorder.flush();
  };
  // Waits for the outside world (a reply, a call, a child) may last hours: the UI shows them and
  // the steps so far go out as events first.
  const before = <T, R>(what: (arg: T) => string, run: (arg: T) => Promise<R>) => async (arg: T): Promise<R> => {
    await settle(what(arg));
    return run(arg);
  };
  // A plain activity is short: only the live details (a query, no history) say what it does, so
  // an I/O widget costs its activity's events and nothing more. Its steps go out at the next wait.
  const during = <T, R>(what: (arg: T) => string, run: (arg: T) => Promise<R>) => (arg: T): Promise<R> => {
    observers.view.busy(what(arg));
    return run(arg);
  };
  return {
    // A behaviour change is a patch: histories recorded before it replay without it.
    applies: (change) => patched(change),
    now: () => new Date(),
    newSid: (prefix) => `${prefix}${uuid4().replace(/-/g, '')}`,
    httpRequest: during((r) => `${r.method} ${hostOf(r.url)}`, httpRequest),
    runSubflow: before(
      (r) => `subflow ${r.flowSid}`,
      (request) => runSubflow(input, state, request, children, observers.recorder),
    ),
    sendMessage: during((m) => `sending a message to ${m.to}`, (message) => sendMessage(state, message, observers.recorder)),
    waitForReply: before(() => 'a reply', (request) => waitForReply(state, request)),
    voice: (request) => voice(state, request, settle, input.call),
    placeCall: before((c) => `calling ${c.to}`, (call) => placeCall(state, call)),
    recordCall: during(
      (r) => `recording ${r.start ? 'on' : 'off'}`,
      (request) => callActivity(() => startRecording.executeWithOptions({ summary: `${request.widget}: recording ${request.start ? 'on' : 'off'}` }, [request])),
    ),
    handoffToFlex: during(
      () => 'handing over to Flex',
      (request) => callActivity(() => flexHandoff.executeWithOptions({ summary: `${request.widget}: to Flex` }, [request])),
    ),
    conversation: during(
      (r) => `${r.action === 'start' ? 'starting' : 'resuming'} a Conversation`,
      (request) => conversationActivity(request),
    ),
  };
}

// Calls API requests: idempotent by key, retried as sends are.
const { placeCall: dial, recordCall: startRecording, handoffToFlex: flexHandoff } = proxyActivities<Activities>({
  startToCloseTimeout: '12 seconds',
  retry: IDEMPOTENT_TWILIO_RETRY,
});

// Conversations API requests: each create is idempotent by key, retried as sends are.
const { conversation: attachConversation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: IDEMPOTENT_TWILIO_RETRY,
});

async function conversationActivity(request: ConversationRequest): Promise<ConversationResult> {
  try {
    return await attachConversation.executeWithOptions({ summary: `${request.widget}: ${request.action} Conversation` }, [request]);
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { ok: false, code: 'conversation:request-failed', message: `Twilio could not be asked: ${(err as Error).message}` };
  }
}

/** How long an outgoing call may ring, beyond its own Timeout, before we stop waiting for news. */
const RING_GRACE_SECONDS = 120;

async function callActivity<T extends { ok: boolean }>(run: () => Promise<T>): Promise<T | { ok: false; code: string; message: string }> {
  try {
    return await run();
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { ok: false, code: 'call:request-failed', message: `Twilio could not be asked: ${(err as Error).message}` };
  }
}

/**
 * Answers the oldest webhook waiting for TwiML with this widget's TwiML (plus any kept for it)
 * and, unless told not to, waits for the callback of this step or the end of the call.
 */
async function voice(state: ExecutionState, request: VoiceRequest, settle: Settle, lent: LentCall | undefined): Promise<VoiceOutcome> {
  const { call } = state;
  if (!call.callSid && call.unanswered.length === 0) return { kind: 'no-call' };
  if (!request.awaitCallback) {
    call.buffer.push(...request.twiml);
    return { kind: 'callback', params: {} };
  }
  await settle('the call');
  await condition(() => call.unanswered.length > 0 || call.endedStatus !== undefined);
  if (call.unanswered.length === 0) return { kind: 'hangup', params: { CallStatus: call.endedStatus ?? 'completed' } };
  const turn = call.unanswered.shift()!;
  // Callbacks that arrived before this answer belong to earlier steps.
  call.callbacks = [];
  const given = { twiml: [...call.buffer.splice(0), ...request.twiml], stepSid: request.stepSid };
  answer(call, turn.id, given);
  // A subflow speaks on its parent's call: the parent answers the webhook.
  if (lent) await answerLender(lent, { turnId: turn.id, answer: given });
  const forThisStep = () => call.callbacks.findIndex((c) => c.stepSid === request.stepSid || c.kind === 'return');
  const woke = await condition(
    () => forThisStep() >= 0 || call.endedStatus !== undefined,
    request.timeoutSeconds !== undefined ? request.timeoutSeconds * 1000 : undefined!,
  );
  if (woke === false) return { kind: 'timeout' };
  const index = forThisStep();
  if (index < 0) return { kind: 'hangup', params: { CallStatus: call.endedStatus ?? 'completed' } };
  const [callback] = call.callbacks.splice(index, 1);
  // A caller who hung up during the step is reported as such by the callback itself (Record's Digits=hangup, Dial's CallStatus).
  return { kind: 'callback', params: callback!.params };
}

/** Places the call, then waits until it is answered (its first webhook) or ends unanswered. */
async function placeCall(state: ExecutionState, request: OutgoingCall): Promise<PlaceCallResult & { status?: string }> {
  const placed = await callActivity(() => dial.executeWithOptions({ summary: `${request.widget}: call ${request.to}` }, [request]));
  if (!placed.ok) return placed;
  const sid = typeof placed.call.Sid === 'string' ? placed.call.Sid : '';
  const { call } = state;
  call.callSid = sid;
  call.endedStatus = undefined;
  const ring = Number(request.options.Timeout ?? 60) + RING_GRACE_SECONDS;
  const answered = () => call.callbacks.findIndex((c) => c.kind === 'answered' && c.stepSid === request.stepSid);
  const settled = await condition(() => answered() >= 0 || call.statuses[sid] !== undefined, ring * 1000);
  const index = answered();
  if (index >= 0) {
    const [turn] = call.callbacks.splice(index, 1);
    // The answered webhook waits for TwiML: the next voice widget answers it.
    return { ok: true, call: { ...placed.call, ...turn!.params }, status: 'answered' };
  }
  const reported = call.statuses[sid]?.CallStatus;
  const status = settled ? (typeof reported === 'string' ? reported : 'failed') : 'no-answer';
  return { ok: true, call: { ...placed.call, ...(call.statuses[sid] ?? {}) }, status };
}

/** The subflow running now, if any: inbound messages go to the innermost running flow. */
export interface ChildTracker {
  active?: string;
}

async function sendMessage(state: ExecutionState, message: OutboundMessage, recorder: EventRecorder): Promise<SendResult> {
  try {
    // The steps so far go with the message: a wait after it (Send & Wait) has none left to flush.
    // No patch needed: what the wait does follows the activity's recorded result, and a result
    // recorded before this change (no eventsRecordedThrough) replays with the flush it had.
    const handed = recorder.forActivity();
    const { eventsRecordedThrough, ...result } = await send.executeWithOptions({ summary: `${message.widget}: message to ${message.to}` }, [{ ...message, alreadySent: sentSids(state), ...(handed ? { events: handed.batch } : {}) }]);
    if (handed && eventsRecordedThrough !== undefined) recorder.carried(handed, eventsRecordedThrough);
    // Its status callbacks are taken from now on (see recordStatus).
    if (result.ok && typeof result.message.Sid === 'string') recordSent(state.mailbox, result.message.Sid);
    return result;
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { ok: false, code: 'message:send-failed', message: `The message could not be sent: ${(err as Error).message}` };
  }
}

async function waitForReply(state: ExecutionState, request: { widget: string; timeoutSeconds: number; outboundSid?: string }): Promise<ReplyOutcome> {
  const { mailbox } = state;
  const failed = () => (request.outboundSid ? mailbox.failedDeliveries[request.outboundSid] : undefined);
  const woke = await condition(() => mailbox.pending.length > 0 || failed() !== undefined, request.timeoutSeconds * 1000, { summary: `${request.widget}: waiting for a reply` });
  if (!woke) return { kind: 'timeout' };
  const failure = failed();
  if (failure) return { kind: 'deliveryFailure', status: failure };
  return { kind: 'reply', message: mailbox.pending.shift()!.params };
}

function httpRequest(request: HttpRequest): Promise<HttpResult> {
  // Studio does not retry these calls: one attempt, and a failure takes the failure path.
  const { httpRequest: call } = proxyActivities<Activities>({
    startToCloseTimeout: request.timeoutMs + HTTP_ACTIVITY_SLACK_MS,
    heartbeatTimeout: '5 seconds',
    retry: { maximumAttempts: 1 },
  });
  return call.executeWithOptions({ summary: `${request.widget}: ${request.method} ${hostOf(request.url)}` }, [request]).catch(
    (err: unknown): HttpResult => ({ ok: false, code: 'http:network', message: `The request could not be made: ${(err as Error).message}` }),
  );
}

async function runSubflow(parent: FlowExecutionInput, state: ExecutionState, request: SubflowRequest, children: ChildTracker, recorder: EventRecorder): Promise<SubflowResult> {
  const loaded = await loadFlowRevision(request.flowSid, request.revision);
  if (!loaded.found) return { ok: false, failure: { code: 'subflow:not-found', message: loaded.message, twilioCode: 81024, widget: request.widget } };
  const child: FlowExecutionInput = {
    executionSid: parent.executionSid,
    flow: { sid: loaded.flowSid, revision: loaded.revision, definition: loaded.definition },
    trigger: {
      event: 'incomingParent',
      data: {
        parameters: request.parameters,
        step_sid: request.stepSid,
        execution_sid: parent.executionSid,
        flow_sid: parent.flow.sid,
        trigger_type: parent.trigger.event,
      },
      contactAddress: state.context.contact.channel.address,
      channelAddress: state.context.flow.channel.address,
    },
    ...(parent.limits ? { limits: parent.limits } : {}),
    depth: (parent.depth ?? 0) + 1,
    eventStream: recorder.subflowPosition(request.stepSid),
  };
  // The step SID makes the child's ID unique and the same on every replay.
  const workflowId = `${workflowInfo().workflowId}/sub/${request.stepSid}`;
  const options = { workflowId, staticSummary: `Subflow ${loaded.flowSid} r${loaded.revision} of ${parent.executionSid}` };
  children.active = workflowId;
  // Executions recorded before subflows spoke on the call replay without lending it.
  const lend = hasCall(state.call) && patched(SUBFLOW_VOICE_PATCH);
  // By name: the workflow module imports this one, so only its type may come back here.
  const result = await (lend
    ? runWithCall(state, { ...child, call: lendCall(state.call, workflowInfo().workflowId) }, options)
    : executeChild<FlowExecutionWorkflow>('flowExecution', { ...options, args: [child] })
  ).finally(() => (children.active = undefined));
  const { initial, steps, folded } = result.state;
  const run = { flowSid: loaded.flowSid, revision: loaded.revision, initial, steps, ...(folded ? { folded } : {}) };
  return result.failure ? { ok: false, failure: result.failure, run } : { ok: true, run };
}

/** Marks executions whose subflows speak on the call (see `LentCall`). */
export const SUBFLOW_VOICE_PATCH = 'subflow-voice';

/** Runs the subflow on this execution's call, relaying the call's news to it while it runs. */
async function runWithCall(state: ExecutionState, child: FlowExecutionInput & { call: LentCall }, options: { workflowId: string; staticSummary: string }) {
  const handle = await startChild<FlowExecutionWorkflow>('flowExecution', { ...options, args: [child] });
  let done = false;
  const relay = relayToSubflow(state.call, options.workflowId, child.call, () => done);
  try {
    const result = await handle.result();
    takeBackBuffer(state.call, result.state.call);
    return result;
  } finally {
    done = true;
    await relay.catch((err: unknown) => {
      if (!isCancellation(err)) throw err;
    });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 60);
  }
}

/**
 * The SIDs of messages this execution's earlier steps sent: a retried send that looks for its
 * own accepted message must not take one of these for it (the same text sent twice).
 */
function sentSids(state: ExecutionState): string[] {
  const sids: string[] = [];
  for (const step of state.steps) {
    const outbound = step.changes.widget?.outputs.outbound;
    const sid = outbound !== null && typeof outbound === 'object' && !Array.isArray(outbound) ? outbound.Sid : undefined;
    if (typeof sid === 'string') sids.push(sid);
  }
  return sids;
}
