import { CONVERSATION_AUTHOR } from '../channels/channel';
import { failpoint } from '../faults/failpoints';
import type { ExecutionTrigger } from '../engine/context';
import { parseJsonWithin, type JsonObject } from '../engine/json';
import type { InboundEvent } from '../engine/mailbox';
import type { FlowDefinition } from '../flow/definition';
import type { FlowRecord, FlowStore } from '../store/flow-store';
import type { InboundWebhooks } from '../store/inbound-webhooks';
import type { ExecutionCommands } from './execution-commands';
import { isExecutionOfFlow } from './execution-workflow-ids';
import { RateLimited, type NewExecutionLimiter } from './rate-limits';
import { revisionFor } from './revisions';

export type ReceiveOutcome = 'delivered' | 'duplicate' | 'in-progress' | 'unknown-flow' | 'no-revision' | 'invalid' | 'own-message' | 'ended';

/** An inbound message this process claimed: its contact, and the execution key (the contact, or the conversation). */
interface ClaimedMessage {
  readonly messageSid: string;
  readonly contact: string;
  /** One execution per conversation for conversation messages, per contact otherwise. */
  readonly key: string;
  readonly channel: string;
  /** Claimed from a process that died holding it. */
  readonly takenOver: boolean;
}

/** Webhook fields Twilio sends as JSON text; Studio's context has them as objects. */
const JSON_FIELDS = ['ChannelAttributes', 'AddOns', 'Attributes'];

/**
 * Inbound messages for flows: a message from a contact goes to that contact's active execution
 * of the flow, or starts one (signal-with-start on the contact's workflow ID, so concurrent
 * first messages still make one execution). A conversation message does the same per
 * conversation. Test users run the latest revision; everyone else the published one.
 */
export class MessagingService {
  constructor(
    private readonly store: FlowStore,
    private readonly executions: ExecutionCommands,
    private readonly inbound: InboundWebhooks,
    /** LIMIT_MAX_JSON_DEPTH: a JSON field nested deeper stays text. */
    private readonly maxJsonDepth: number,
    /** Per-account bucket of new inbound-triggered executions; none: unlimited. */
    private readonly newExecutions?: NewExecutionLimiter,
  ) {}

  /**
   * `execution`: the workflow a Start / Resume Conversation webhook names (its URL's `WorkflowId`):
   * the message goes to that execution only, and starts nothing when it has ended.
   */
  async receive(accountSid: string, flowSid: string, params: Record<string, string>, kind: InboundEvent['kind'], execution?: string): Promise<ReceiveOutcome> {
    const flow = await this.store.get(accountSid, flowSid);
    if (!flow) return 'unknown-flow';
    const messageSid = params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid;
    const contact = kind === 'conversation' ? (params.Author ?? params.From) : params.From;
    const conversation = params.ConversationSid;
    if (!messageSid || !contact || (kind === 'conversation' && !conversation) || (kind === 'message' && !params.To)) return 'invalid';
    if (kind === 'conversation' && contact === CONVERSATION_AUTHOR) return 'own-message';
    const claim = await this.inbound.claim(messageSid, flow.sid);
    if (claim === 'taken') return 'duplicate';
    if (claim === 'in-progress') return 'in-progress';
    const message = { messageSid, contact, key: kind === 'conversation' ? conversation! : contact, channel: kind === 'conversation' ? conversation! : params.To!, takenOver: claim === 'taken-over' };
    let outcome: ReceiveOutcome;
    try {
      outcome = await this.deliver(accountSid, flow, { kind, params: parseJsonFields(params, this.maxJsonDepth), receivedAt: new Date().toISOString() }, message, execution);
      failpoint('messaging.before-taken');
    } catch (err) {
      // Refused before sending anything (a 429): the retry starts afresh. Any other failure may
      // have delivered it (a signal whose answer was lost): the retry takes the claim over and
      // asks the executions first — it must neither be taken for a duplicate nor start another.
      await (err instanceof RateLimited ? this.inbound.release(messageSid) : this.inbound.abandon(messageSid)).catch(() => undefined);
      throw err;
    }
    // Delivered (or found delivered): later retries are duplicates. Refused: a retry may try again.
    await (['delivered', 'ended', 'duplicate'].includes(outcome) ? this.inbound.taken(messageSid) : this.inbound.release(messageSid));
    return outcome;
  }

  private async deliver(accountSid: string, flow: FlowRecord, event: InboundEvent, message: ClaimedMessage, execution: string | undefined): Promise<ReceiveOutcome> {
    if (execution !== undefined) return this.toExecution(flow.sid, execution, event);
    // Claimed from a process that died: it may have delivered the message. A running execution
    // takes it at most once (its mailbox remembers what it has seen); one that has ended since may
    // have taken it — asked in this order, so that an execution ending in between is still asked
    // (asking first whether it ended, then starting, would start a second one).
    if (message.takenOver) {
      if (await this.executions.signalExisting(flow.sid, message.key, event)) return 'delivered';
      if (await this.executions.endedHaving(flow.sid, message.key, message.messageSid)) return 'duplicate';
    }
    return this.start(accountSid, flow, message, event);
  }

  /** To the running execution of the contact (or conversation), or a new one with the message as its trigger. */
  private async start(accountSid: string, flow: FlowRecord, to: ClaimedMessage, event: InboundEvent): Promise<ReceiveOutcome> {
    const revision = await revisionFor(this.store, flow, to.contact);
    if (!revision) return 'no-revision';
    const trigger: ExecutionTrigger = {
      event: event.kind === 'conversation' ? 'incomingConversationMessage' : 'incomingMessage',
      data: event.params,
      contactAddress: to.contact,
      channelAddress: to.channel,
    };
    if (!(await this.deliveredToRunning(accountSid, flow.sid, to.key, event))) {
      await this.executions.deliver(
        { accountSid, flowSid: flow.sid, revision: revision.revision, definition: revision.definition as FlowDefinition, trigger, initiatedBy: to.messageSid },
        to.key,
        event,
      );
    }
    return 'delivered';
  }

  /**
   * The rate limit on new inbound-triggered executions. Only a message that starts an execution
   * may take a token, and a reply to a waiting execution must never be refused; whether one is
   * waiting is Temporal's to say, so the message is first signalled to the contact's running
   * workflow (true: delivered, nothing started, no token). Only when none is running is a token
   * taken and the message delivered with signal-with-start (false) — still atomic, so if another
   * message started the execution meanwhile this one just joins it (a token spent, nothing lost).
   * With the bucket empty, the running workflow is looked for once more before refusing: a
   * concurrent first message from the same contact may have started it since. Refused (429),
   * nothing is started or recorded, so Twilio's retry is not taken for a duplicate.
   * Costs one extra Temporal call per new execution, none per reply.
   */
  private async deliveredToRunning(accountSid: string, flowSid: string, key: string, event: InboundEvent): Promise<boolean> {
    if (!this.newExecutions) return false;
    if (await this.executions.signalExisting(flowSid, key, event)) return true;
    const admission = await this.newExecutions.take(accountSid);
    if (admission.allowed) return false;
    if (await this.executions.signalExisting(flowSid, key, event)) return true;
    throw new RateLimited('inbound', admission.retryAfterSeconds);
  }

  private async toExecution(flowSid: string, workflowId: string, event: InboundEvent): Promise<ReceiveOutcome> {
    if (!isExecutionOfFlow(workflowId, flowSid)) return 'invalid';
    return (await this.executions.signalWorkflow(workflowId, event)) ? 'delivered' : 'ended';
  }

  /** A status callback of a message an execution sent. */
  async status(workflowId: string, params: Record<string, string>): Promise<void> {
    await this.executions.messageStatus(workflowId, params);
  }
}

function parseJsonFields(params: Record<string, string>, maxJsonDepth: number): JsonObject {
  const data: JsonObject = { ...params };
  for (const field of JSON_FIELDS) {
    const text = params[field];
    if (text === undefined) continue;
    // Not JSON after all, or nested deeper than an execution may hold: the text is kept.
    const parsed = parseJsonWithin(text, maxJsonDepth);
    if (parsed.ok) data[field] = parsed.value;
  }
  return data;
}
