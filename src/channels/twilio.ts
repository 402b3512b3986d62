import type { JsonObject } from '../engine/json';
import type { ConversationRequest, ConversationResult, FlexHandoff, FlexHandoffResult, OutgoingCall, PlaceCallResult, RecordingRequest, RecordingResult, SendResult } from '../engine/effects';
import { CONVERSATION_AUTHOR, pascalCaseKeys, TransientChannelError, type ChannelMessage, type MessageChannel } from './channel';

export interface TwilioChannelOptions {
  /** TWILIO_API_BASE_URL: where Messages.json lives. */
  readonly apiBaseUrl: string;
  /** Where the Conversations API lives (derived from the API base unless it is Twilio's own). */
  readonly conversationsBaseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** A single request; the activity's retries cover outages. */
  readonly timeoutMs?: number;
  /** Where the Flex API lives (Twilio's own host when TWILIO_API_BASE_URL is Twilio's). */
  readonly flexBaseUrl?: string;
}

function sidOf(resource: JsonObject): string {
  return typeof resource.Sid === 'string' ? resource.Sid : '';
}

/** A refused Conversations request: the widget's `failed`, with Twilio's words. */
function rejected(message: string): ConversationResult {
  return { ok: false, code: 'conversation:rejected', message };
}

function parseAttributes(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/**
 * Sends through Twilio's REST API: Messages (SMS, MMS, WhatsApp, Messaging Services) and, for
 * executions started in a conversation, the Conversations API. Every create carries the
 * idempotency key as `I-Twilio-Idempotency-Token`; a retry after an ambiguous failure first
 * looks for the message it may already have created, so a worker crash between the provider's
 * acceptance and the activity's completion does not send twice.
 *
 * A direct HTTP call rather than the `twilio` client: the client cannot add a per-request
 * idempotency header nor point at `TWILIO_API_BASE_URL`.
 */
export class TwilioChannel implements MessageChannel {
  constructor(private readonly options: TwilioChannelOptions) {}

  async send(message: ChannelMessage, attempt: number): Promise<SendResult> {
    if (message.conversationSid) return this.sendToConversation(message);
    const existing = attempt > 1 ? await this.findSent(message) : undefined;
    if (existing) return { ok: true, message: existing };
    const form = new URLSearchParams({ To: message.to, Body: message.body ?? '' });
    form.set(message.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', message.from);
    for (const url of message.mediaUrls) form.append('MediaUrl', url);
    if (message.contentSid) {
      form.set('ContentSid', message.contentSid);
      form.set('ContentVariables', JSON.stringify(message.contentVariables ?? {}));
      form.delete('Body');
    }
    if (message.statusCallback) form.set('StatusCallback', message.statusCallback);
    if (message.shortenUrls) {
      // Messages API: ShortenUrls needs MessagingServiceSid (https://www.twilio.com/docs/messaging/api/message-resource).
      form.set('ShortenUrls', 'true');
      if (message.messagingServiceSid && !form.has('MessagingServiceSid')) form.set('MessagingServiceSid', message.messagingServiceSid);
    }
    return this.create(`${this.options.apiBaseUrl}/2010-04-01/Accounts/${this.options.accountSid}/Messages.json`, form, message.idempotencyKey);
  }

  /** Calls.json: the call fetches `url` when answered; its final status goes to `statusCallback`. */
  async placeCall(call: OutgoingCall & { url: string; statusCallback: string }, attempt: number): Promise<PlaceCallResult> {
    const callsUrl = `${this.options.apiBaseUrl}/2010-04-01/Accounts/${this.options.accountSid}/Calls.json`;
    if (attempt > 1) {
      const existing = await this.findPlaced(callsUrl, call);
      if (existing) return { ok: true, call: existing };
    }
    const form = new URLSearchParams({ To: call.to, From: call.from, Url: call.url, Method: 'POST', StatusCallback: call.statusCallback, StatusCallbackMethod: 'POST' });
    for (const [key, value] of Object.entries(call.options)) form.set(key, value);
    const result = await this.create(callsUrl, form, call.idempotencyKey);
    return result.ok ? { ok: true, call: result.message } : result;
  }

  /** Recordings.json on the call: start, or stop the current recording. */
  async recordCall(request: RecordingRequest): Promise<RecordingResult> {
    const base = `${this.options.apiBaseUrl}/2010-04-01/Accounts/${this.options.accountSid}/Calls/${request.callSid}/Recordings`;
    const form = new URLSearchParams(request.options);
    const url = request.start ? `${base}.json` : `${base}/Twilio.CURRENT.json`;
    if (!request.start) form.set('Status', 'stopped');
    const result = await this.create(url, form, request.idempotencyKey);
    return result.ok ? { ok: true, recording: result.message } : result;
  }

  /**
   * Flex Interactions: a task for the Flex workflow, carrying the conversation's address. Flex
   * lives on its own host; a stand-in serves it from TWILIO_API_BASE_URL.
   */
  async handoffToFlex(request: FlexHandoff): Promise<FlexHandoffResult> {
    const channel = { type: 'sms', initiated_by: 'customer', properties: { from: request.contact, to: request.channelAddress } };
    const routing = {
      properties: { workflow_sid: request.workflowSid, task_channel_sid: request.channelSid, attributes: parseAttributes(request.attributes), ...(request.priority ? { priority: Number(request.priority) } : {}), ...(request.timeout ? { timeout: Number(request.timeout) } : {}) },
    };
    const form = new URLSearchParams({ Channel: JSON.stringify(channel), Routing: JSON.stringify(routing) });
    const result = await this.create(`${this.options.flexBaseUrl ?? this.options.apiBaseUrl}/v1/Interactions`, form, request.idempotencyKey);
    return result.ok ? { ok: true, task: result.message } : result;
  }

  /**
   * Start / Resume Conversation through the Conversations API, in the widget's service: the
   * Conversation (created, or fetched with its participants to publish them), for a new one its
   * participant (the contact, with our address as proxy), and a scoped webhook that posts its new messages to
   * `webhookUrl` (https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource).
   * Each create carries its own idempotency token, so a retried activity creates nothing twice.
   */
  async conversation(request: ConversationRequest & { webhookUrl: string }): Promise<ConversationResult> {
    const service = `${this.options.conversationsBaseUrl}/v1/Services/${request.serviceSid}/Conversations`;
    const found = request.action === 'resume' ? await this.fetchResource(`${service}/${request.conversationSid}`) : await this.createConversation(service, request);
    if (!found.ok) return rejected(found.message);
    const sid = sidOf(found.message);
    if (request.action === 'resume') {
      // Studio lists the Conversation's participants when it resumes one.
      const listed = await this.fetchResource(`${service}/${sid}/Participants`);
      if (!listed.ok) return rejected(listed.message);
      const participants = Array.isArray(listed.message.Participants) ? listed.message.Participants : [];
      found.message.Participants = participants.map((p) => (p !== null && typeof p === 'object' && !Array.isArray(p) ? (pascalCaseKeys(p) as JsonObject) : p));
    }
    if (request.action === 'start') {
      const participant = new URLSearchParams({ 'MessagingBinding.Address': request.contact, 'MessagingBinding.ProxyAddress': request.channelAddress });
      const added = await this.create(`${service}/${sid}/Participants`, participant, `${request.idempotencyKey}:participant`);
      if (!added.ok) return rejected(added.message);
    }
    const hook = new URLSearchParams({ Target: 'webhook', 'Configuration.Url': request.webhookUrl, 'Configuration.Method': 'POST', 'Configuration.Filters': 'onMessageAdded' });
    const webhook = await this.create(`${service}/${sid}/Webhooks`, hook, `${request.idempotencyKey}:webhook`);
    if (!webhook.ok) return rejected(webhook.message);
    return { ok: true, conversation: found.message, webhookSid: sidOf(webhook.message) };
  }

  private createConversation(service: string, request: ConversationRequest): Promise<SendResult> {
    const form = new URLSearchParams();
    if (request.friendlyName !== undefined) form.set('FriendlyName', request.friendlyName);
    if (request.attributes !== undefined) form.set('Attributes', request.attributes);
    return this.create(service, form, `${request.idempotencyKey}:conversation`);
  }

  private async fetchResource(url: string): Promise<SendResult> {
    const response = await fetch(url, { headers: this.headers({}), signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) }).catch((err: Error) => {
      throw new TransientChannelError(`Twilio could not be reached: ${err.message}`);
    });
    if (response.status >= 500 || response.status === 429) throw new TransientChannelError(`Twilio answered ${response.status}`);
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return { ok: true, message: pascalCaseKeys(body) as JsonObject };
    return { ok: false, code: 'message:rejected', message: `Twilio answered ${response.status}: ${typeof body.message === 'string' ? body.message : ''}` };
  }

  private async findPlaced(callsUrl: string, call: OutgoingCall): Promise<JsonObject | undefined> {
    const query = new URLSearchParams({ To: call.to, From: call.from, PageSize: '20' });
    const response = await fetch(`${callsUrl}?${query.toString()}`, { headers: this.headers({}), signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) }).catch((err: Error) => {
      throw new TransientChannelError(`Twilio could not be reached: ${err.message}`);
    });
    if (!response.ok) throw new TransientChannelError(`Twilio answered ${response.status} to the duplicate check`);
    const { calls = [] } = (await response.json()) as { calls?: Array<Record<string, unknown>> };
    const recent = Date.now() - 10 * 60_000;
    const match = calls.find((c) => Date.parse(String(c.date_created)) >= recent);
    return match ? (pascalCaseKeys(match) as JsonObject) : undefined;
  }

  private sendToConversation(message: ChannelMessage): Promise<SendResult> {
    const form = new URLSearchParams({ Author: CONVERSATION_AUTHOR });
    if (message.body !== undefined) form.set('Body', message.body);
    if (message.attributes) form.set('Attributes', message.attributes);
    if (message.contentSid) {
      form.set('ContentSid', message.contentSid);
      form.set('ContentVariables', JSON.stringify(message.contentVariables ?? {}));
    }
    return this.create(`${this.options.conversationsBaseUrl}/v1/Conversations/${message.conversationSid}/Messages`, form, message.idempotencyKey);
  }

  private async create(url: string, form: URLSearchParams, key: string): Promise<SendResult> {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: this.headers({ 'I-Twilio-Idempotency-Token': key }), body: form, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new TransientChannelError(`Twilio could not be reached: ${(err as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return { ok: true, message: pascalCaseKeys(body) as JsonObject };
    if (response.status >= 500 || response.status === 429) throw new TransientChannelError(`Twilio answered ${response.status}`);
    // Twilio's 21xxx family: invalid number, unsubscribed recipient, … — Studio's 81011.
    const code = typeof body.code === 'number' || typeof body.code === 'string' ? body.code : response.status;
    const text = typeof body.message === 'string' ? body.message : '';
    return { ok: false, code: 'message:rejected', message: `Twilio refused the message (${code}): ${text}` };
  }

  /** A message created by an earlier attempt: same To, From and Body, sent in the last hour. */
  private async findSent(message: ChannelMessage): Promise<JsonObject | undefined> {
    const query = new URLSearchParams({ To: message.to, PageSize: '50' });
    if (!message.from.startsWith('MG')) query.set('From', message.from);
    const response = await fetch(`${this.options.apiBaseUrl}/2010-04-01/Accounts/${this.options.accountSid}/Messages.json?${query.toString()}`, {
      headers: this.headers({}),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((err: Error) => {
      throw new TransientChannelError(`Twilio could not be reached: ${err.message}`);
    });
    if (!response.ok) throw new TransientChannelError(`Twilio answered ${response.status} to the duplicate check`);
    const { messages = [] } = (await response.json()) as { messages?: Array<Record<string, unknown>> };
    // Twilio's date_created counts whole seconds: compare from the second the first attempt began.
    const since = Math.floor((message.firstAttemptAt ?? Date.now() - 3_600_000) / 1000) * 1000;
    const earlier = new Set(message.alreadySent ?? []);
    const match = messages.find((m) => m.body === (message.body ?? '') && !earlier.has(String(m.sid)) && Date.parse(String(m.date_created)) >= since);
    return match ? (pascalCaseKeys(match) as JsonObject) : undefined;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`, accept: 'application/json', ...extra };
  }
}
