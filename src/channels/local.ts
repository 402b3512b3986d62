import type { ConversationRequest, ConversationResult, FlexHandoff, FlexHandoffResult, OutgoingCall, PlaceCallResult, RecordingRequest, RecordingResult, SendResult } from '../engine/effects';
import type { LocalCalls, LocalMessages } from '../store/local-messages';
import { newSid } from '../sids';
import type { ChannelMessage, MessageChannel } from './channel';

/**
 * The local channel: messages go to an inbox in the store instead of to phones, and the API
 * lets you read them and answer as the contact. A flow can be tried end to end without any
 * Twilio account. Sending the same idempotency key twice returns the first message.
 */
export class LocalChannel implements MessageChannel {
  constructor(
    private readonly inbox: LocalMessages,
    private readonly accountSid: string,
    private readonly calls?: LocalCalls,
  ) {}

  /** The call waits in the local store until the local API answers or declines it as the callee. */
  async placeCall(call: OutgoingCall & { url: string; statusCallback: string }): Promise<PlaceCallResult> {
    if (!this.calls) return { ok: false, code: 'call:unsupported', message: 'This local channel cannot place calls' };
    const saved = await this.calls.save({
      sid: newSid('CA'),
      account_sid: this.accountSid,
      to_address: call.to,
      from_address: call.from,
      url: call.url,
      status_callback: call.statusCallback,
      status: 'ringing',
      idempotency_key: call.idempotencyKey,
      date_created: new Date().toISOString(),
    });
    return { ok: true, call: { Sid: saved.sid, AccountSid: this.accountSid, To: saved.to_address, From: saved.from_address, Status: 'queued', Direction: 'outbound-api' } };
  }

  recordCall(request: RecordingRequest): Promise<RecordingResult> {
    return Promise.resolve({ ok: true, recording: { Sid: newSid('RE'), CallSid: request.callSid, Status: request.start ? 'in-progress' : 'stopped' } });
  }

  /** A hand-off shows in the inbox as a message to `flex:<workflow>`. */
  async handoffToFlex(request: FlexHandoff): Promise<FlexHandoffResult> {
    const saved = await this.inbox.save({
      sid: newSid('WT'),
      account_sid: this.accountSid,
      direction: 'outbound',
      to_address: `flex:${request.workflowSid}`,
      from_address: request.contact,
      body: request.attributes,
      media: '[]',
      status: 'created',
      idempotency_key: request.idempotencyKey,
      date_created: new Date().toISOString(),
    });
    return { ok: true, task: { Sid: saved.sid, WorkflowSid: request.workflowSid, Attributes: request.attributes, AssignmentStatus: 'pending' } };
  }

  /**
   * A Conversation shows in the inbox as a message to its SID, like a Flex hand-off; messages the
   * flow sends into it go to that address too (see `send`).
   */
  async conversation(request: ConversationRequest): Promise<ConversationResult> {
    // A retry finds the record saved first: the same Conversation and webhook SIDs.
    const saved = await this.inbox.save({
      sid: newSid('IM'),
      account_sid: this.accountSid,
      direction: 'outbound',
      to_address: request.conversationSid ?? newSid('CH'),
      from_address: request.contact,
      body: request.action === 'start' ? `Conversation started in ${request.serviceSid}` : `Conversation resumed in ${request.serviceSid}`,
      media: '[]',
      status: 'created',
      idempotency_key: request.idempotencyKey,
      date_created: new Date().toISOString(),
    });
    const sid = saved.to_address;
    const conversation = { Sid: sid, AccountSid: this.accountSid, ChatServiceSid: request.serviceSid, FriendlyName: request.friendlyName ?? null, Attributes: request.attributes ?? '{}', State: 'active' };
    return { ok: true, conversation, webhookSid: `WH${saved.sid.slice(2)}` };
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    const saved = await this.inbox.save({
      sid: newSid('SM'),
      account_sid: this.accountSid,
      direction: 'outbound',
      to_address: message.conversationSid ?? message.to,
      from_address: message.from,
      body: message.body ?? (message.contentSid ? `[content ${message.contentSid}]` : ''),
      media: JSON.stringify(message.mediaUrls),
      status: 'sent',
      idempotency_key: message.idempotencyKey,
      date_created: new Date().toISOString(),
    });
    const media = JSON.parse(saved.media) as string[];
    return {
      ok: true,
      message: {
        Sid: saved.sid,
        AccountSid: saved.account_sid,
        From: saved.from_address,
        To: saved.to_address,
        Body: saved.body,
        Status: saved.status,
        Direction: 'outbound-api',
        NumMedia: String(media.length),
        NumSegments: '1',
        MessagingServiceSid: message.from.startsWith('MG') ? message.from : null,
        DateCreated: saved.date_created,
        ErrorCode: null,
        ErrorMessage: null,
      },
    };
  }
}
