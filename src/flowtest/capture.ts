import type { ConversationRequest, ConversationResult, FlexHandoff, FlexHandoffResult, OutgoingCall, PlaceCallResult, RecordingRequest, RecordingResult, SendResult } from '../engine/effects';
import type { ChannelMessage, MessageChannel } from '../channels/channel';
import { newSid } from '../sids';

/**
 * One line of a test's conversation, in the order it happened: what the flow did towards the
 * outside world, and (`contact`) what the test did as the contact or caller.
 */
export type TranscriptItem =
  | { readonly kind: 'message'; readonly to: string; readonly from: string; readonly body: string; readonly media: readonly string[] }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'play'; readonly url: string }
  | { readonly kind: 'dial'; readonly number: string }
  | { readonly kind: 'request'; readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'call'; readonly to: string; readonly from: string }
  | { readonly kind: 'twilio'; readonly what: string }
  | { readonly kind: 'contact'; readonly text: string };

/** What the flow sends out, which expectations read in order. */
export type Outbound = Exclude<TranscriptItem, { kind: 'contact' | 'twilio' }>;

/** The transcript of one test: the flow's outbound items, and how far the expectations read them. */
export class Transcript {
  readonly items: TranscriptItem[] = [];
  private readonly read = new Set<number>();

  add(item: TranscriptItem): void {
    this.items.push(item);
  }

  /** The oldest unread item of one of `kinds`, marked read. */
  take<K extends Outbound['kind']>(kinds: readonly K[]): Extract<Outbound, { kind: K }> | undefined {
    const index = this.items.findIndex((item, i) => !this.read.has(i) && (kinds as readonly string[]).includes(item.kind));
    if (index < 0) return undefined;
    this.read.add(index);
    return this.items[index] as Extract<Outbound, { kind: K }>;
  }

  /** Items of `kinds` no expectation has read yet. */
  unread(kinds: readonly Outbound['kind'][]): Outbound[] {
    return this.items.filter((item, i): item is Outbound => !this.read.has(i) && (kinds as readonly string[]).includes(item.kind));
  }
}

/**
 * The channel flow tests run with: nothing leaves the process; every send, call and Twilio request
 * is written into the running test's transcript and answered as Twilio would accept it. Like every
 * channel, one idempotency key sends once (a retried activity gets the first answer).
 */
export class CaptureChannel implements MessageChannel {
  private readonly sent = new Map<string, SendResult>();

  constructor(
    private readonly transcript: () => Transcript,
    private readonly accountSid: string,
  ) {}

  send(message: ChannelMessage): Promise<SendResult> {
    const known = this.sent.get(message.idempotencyKey);
    if (known) return Promise.resolve(known);
    const body = message.body ?? (message.contentSid ? `[content ${message.contentSid}]` : '');
    const to = message.conversationSid ?? message.to;
    this.transcript().add({ kind: 'message', to, from: message.from, body, media: message.mediaUrls });
    const result: SendResult = {
      ok: true,
      message: {
        Sid: newSid('SM'),
        AccountSid: this.accountSid,
        From: message.from,
        To: to,
        Body: body,
        Status: 'sent',
        Direction: 'outbound-api',
        NumMedia: String(message.mediaUrls.length),
        NumSegments: '1',
        MessagingServiceSid: message.from.startsWith('MG') ? message.from : null,
        DateCreated: new Date().toISOString(),
        ErrorCode: null,
        ErrorMessage: null,
      },
    };
    this.sent.set(message.idempotencyKey, result);
    return Promise.resolve(result);
  }

  placeCall(call: OutgoingCall & { url: string; statusCallback: string }): Promise<PlaceCallResult> {
    this.transcript().add({ kind: 'call', to: call.to, from: call.from });
    return Promise.resolve({ ok: true, call: { Sid: newSid('CA'), AccountSid: this.accountSid, To: call.to, From: call.from, Status: 'queued', Direction: 'outbound-api' } });
  }

  recordCall(request: RecordingRequest): Promise<RecordingResult> {
    this.transcript().add({ kind: 'twilio', what: `recording ${request.start ? 'started' : 'stopped'}` });
    return Promise.resolve({ ok: true, recording: { Sid: newSid('RE'), CallSid: request.callSid, Status: request.start ? 'in-progress' : 'stopped' } });
  }

  handoffToFlex(request: FlexHandoff): Promise<FlexHandoffResult> {
    this.transcript().add({ kind: 'twilio', what: `handed to Flex workflow ${request.workflowSid}` });
    return Promise.resolve({ ok: true, task: { Sid: newSid('WT'), WorkflowSid: request.workflowSid, Attributes: request.attributes, AssignmentStatus: 'pending' } });
  }

  conversation(request: ConversationRequest): Promise<ConversationResult> {
    this.transcript().add({ kind: 'twilio', what: `Conversation ${request.action === 'start' ? 'started' : 'resumed'} in ${request.serviceSid}` });
    const sid = request.conversationSid ?? newSid('CH');
    const conversation = { Sid: sid, AccountSid: this.accountSid, ChatServiceSid: request.serviceSid, FriendlyName: request.friendlyName ?? null, Attributes: request.attributes ?? '{}', State: 'active' };
    return Promise.resolve({ ok: true, conversation, webhookSid: newSid('WH') });
  }
}
