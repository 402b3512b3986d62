import { createHash } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { VoiceAnswer, VoiceTurn } from '../engine/call';
import { FINAL_CALL_STATUSES } from '../engine/call';
import { allowsConcurrentCalls, type FlowDefinition } from '../flow/definition';
import type { FlowStore } from '../store/flow-store';
import { apologyTwiml, pollTwiml, renderTwiml } from '../channels/twiml';
import { ExecutionConflict, type ExecutionCommands } from './execution-commands';
import { executionWorkflowId, isExecutionOfFlow } from './execution-workflow-ids';
import { RateLimited, type NewExecutionLimiter } from './rate-limits';
import { revisionFor } from './revisions';
import type { VoiceLimits } from '../limits/voice';

export { DEFAULT_VOICE_LIMITS, type VoiceLimits } from '../limits/voice';

export interface VoiceSettings extends VoiceLimits {
  readonly publicUrl: string;
  readonly accountSid: string;
}

/** Query parameters our TwiML puts on the URLs Twilio calls back. */
export interface VoiceQuery {
  readonly FlowEvent?: string;
  readonly WorkflowId?: string;
  readonly StepSid?: string;
  readonly Turn?: string;
  readonly Poll?: string;
}

export type VoiceResult = { readonly twiml: string } | { readonly unknownFlow: true };

/**
 * Calls: the flow webhook answers every call webhook with TwiML, synchronously. The first
 * webhook starts the execution and asks it for TwiML in one request (update-with-start); later
 * ones (Gather actions, redirects, answered outgoing calls) are updates to that execution. When
 * the execution is slow the caller is held and asked again; when nothing answers, the caller
 * hears an apology — never silence.
 */
export class VoiceService {
  constructor(
    private readonly store: FlowStore,
    private readonly executions: ExecutionCommands,
    private readonly settings: VoiceSettings,
    /** Per-account bucket of new inbound-triggered executions; none: unlimited. */
    private readonly newExecutions?: NewExecutionLimiter,
  ) {}

  async handle(flowSid: string, query: VoiceQuery, params: Record<string, string>): Promise<VoiceResult> {
    const event = query.FlowEvent;
    if (event === undefined) {
      if (FINAL_CALL_STATUSES.has(params.CallStatus ?? '')) return { twiml: await this.statusOfNumber(flowSid, params) };
      return this.incoming(flowSid, params);
    }
    // Callbacks name their execution in the URL we gave Twilio: only one of this flow is asked.
    const workflowId = query.WorkflowId ?? '';
    if (event !== 'return' && !isExecutionOfFlow(workflowId, flowSid)) return { twiml: event === 'status' ? renderTwiml([], '') : apologyTwiml() };
    if (event === 'status') {
      await this.executions.callStatus(workflowId, params);
      return { twiml: renderTwiml([], '') };
    }
    if (event === 'return') return { twiml: await this.returnFromRedirect(flowSid, params) };
    if (event === 'poll') {
      const poll = Number(query.Poll ?? '1');
      if (poll > this.settings.maxPolls) return { twiml: apologyTwiml() };
      const turn: VoiceTurn = { id: `${query.Turn ?? ''}:poll:${poll}`, kind: 'poll', of: query.Turn ?? '', params };
      return { twiml: await this.ask(flowSid, workflowId, turn, poll) };
    }
    if (event !== 'callback' && event !== 'answered') return { twiml: apologyTwiml() };
    const turn: VoiceTurn = { id: `${params.CallSid ?? ''}:${event}:${query.StepSid ?? ''}`, kind: event, ...(query.StepSid ? { stepSid: query.StepSid } : {}), params };
    return { twiml: await this.ask(flowSid, workflowId, turn, 0) };
  }

  private async incoming(flowSid: string, params: Record<string, string>): Promise<VoiceResult> {
    const flow = await this.store.get(this.settings.accountSid, flowSid);
    if (!flow) return { unknownFlow: true };
    const caller = params.From ?? '';
    const revision = await revisionFor(this.store, flow, caller);
    if (!revision || !params.CallSid) return { twiml: apologyTwiml() };
    const definition = revision.definition as FlowDefinition;
    // Studio's default since 2018: every call is its own execution, even from one caller ID.
    const key = allowsConcurrentCalls(definition) ? params.CallSid : caller;
    const workflowId = executionWorkflowId(flow.sid, key);
    const turn: VoiceTurn = { id: `${params.CallSid}:call`, kind: 'call', params };
    const start = {
      accountSid: this.settings.accountSid,
      flowSid: flow.sid,
      revision: revision.revision,
      definition,
      trigger: { event: 'incomingCall' as const, data: params, contactAddress: caller, channelAddress: params.To ?? '' },
      initiatedBy: params.CallSid,
    };
    // A call's first webhook starts its own execution (keyed by CallSid by default), so it takes a
    // token up front; refused, nothing starts and the webhook answers 429. When the execution
    // turns out to be another call's (concurrent calls off), the token is given back.
    const admission = await this.newExecutions?.take(this.settings.accountSid);
    if (admission && !admission.allowed) throw new RateLimited('inbound', admission.retryAfterSeconds);
    try {
      const answer = await this.executions.startCall(start, workflowId, turn, Date.now() + this.settings.deadlineMs);
      return { twiml: this.render(flowSid, workflowId, answer) };
    } catch (err) {
      if (err instanceof ExecutionConflict) {
        await this.newExecutions?.refund(this.settings.accountSid);
        return { twiml: apologyTwiml() };
      }
      return { twiml: this.recover(flowSid, workflowId, turn.id, 0, err) };
    }
  }

  private async ask(flowSid: string, workflowId: string, turn: VoiceTurn, poll: number): Promise<string> {
    try {
      const answer = await this.executions.continueCall(workflowId, turn, Date.now() + this.settings.deadlineMs);
      return this.render(flowSid, workflowId, answer);
    } catch (err) {
      return this.recover(flowSid, workflowId, turn.kind === 'poll' ? (turn.of ?? turn.id) : turn.id, poll, err);
    }
  }

  /** A slow execution holds the caller and asks again; a missing one, or a broken Temporal, ends the call politely. */
  private recover(flowSid: string, workflowId: string, turnId: string, poll: number, err: unknown): string {
    const name = (err as Error).name;
    if (err instanceof WorkflowNotFoundError) return renderTwiml([{ verb: 'Hangup' }], '');
    if (name === 'WorkflowUpdateRPCTimeoutOrCancelledError' && poll < this.settings.maxPolls) {
      const query = new URLSearchParams({ FlowEvent: 'poll', WorkflowId: workflowId, Turn: turnId, Poll: String(poll + 1) });
      return pollTwiml(`${this.webhook(flowSid)}?${query.toString()}`);
    }
    return apologyTwiml();
  }

  /**
   * TwiML Redirect's return: the external TwiML sends the call back with `FlowEvent=return` and
   * no execution in the URL, so the call's own addresses find it.
   */
  private async returnFromRedirect(flowSid: string, params: Record<string, string>): Promise<string> {
    const digest = createHash('sha1').update(JSON.stringify(Object.entries(params).sort())).digest('hex').slice(0, 16);
    const turn: VoiceTurn = { id: `${params.CallSid ?? ''}:return:${digest}`, kind: 'return', params };
    for (const workflowId of this.candidates(flowSid, params)) {
      try {
        const answer = await this.executions.continueCall(workflowId, turn, Date.now() + this.settings.deadlineMs);
        return this.render(flowSid, workflowId, answer);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) return this.recover(flowSid, workflowId, turn.id, 0, err);
      }
    }
    return apologyTwiml();
  }

  /** The number's status callback pointed at the flow webhook (as Studio sets it up). */
  private async statusOfNumber(flowSid: string, params: Record<string, string>): Promise<string> {
    for (const workflowId of this.candidates(flowSid, params)) await this.executions.callStatus(workflowId, params);
    return renderTwiml([], '');
  }

  private candidates(flowSid: string, params: Record<string, string>): string[] {
    return [params.CallSid, params.From, params.To].filter((k): k is string => !!k).map((k) => executionWorkflowId(flowSid, k));
  }

  private render(flowSid: string, workflowId: string, answer: VoiceAnswer): string {
    const query = new URLSearchParams({ FlowEvent: 'callback', WorkflowId: workflowId, StepSid: answer.stepSid ?? '' });
    return renderTwiml(answer.twiml, `${this.webhook(flowSid)}?${query.toString()}`);
  }

  private webhook(flowSid: string): string {
    return `${this.settings.publicUrl}/v1/Accounts/${this.settings.accountSid}/Flows/${flowSid}`;
  }
}
