import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

/**
 * A local stand-in for Twilio's cloud, speaking its API shape: Messages (create, list),
 * Conversation messages, Basic auth, the idempotency token, and signed status callbacks.
 * Only what our channel uses; real HTTP on loopback.
 */
export interface StandInMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly statusCallback?: string;
  readonly idempotencyToken?: string;
  readonly mediaUrls: string[];
  readonly dateCreated: Date;
  /** Every form parameter of the create request (ShortenUrls, MessagingServiceSid, …). */
  readonly params: Readonly<Record<string, string>>;
}

export interface StandInCall {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly url: string;
  readonly statusCallback: string;
  readonly options: Record<string, string>;
  readonly idempotencyToken?: string;
  readonly dateCreated: Date;
}

export interface StandInConversationRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly idempotencyToken?: string;
}

export interface TwilioStandIn {
  readonly url: string;
  readonly calls: StandInCall[];
  readonly messages: StandInMessage[];
  readonly conversationMessages: Array<{ conversationSid: string; body: string; author: string }>;
  /** Conversations API requests under /v1/Services (create, fetch, participants, webhooks), in order. */
  readonly conversationRequests: StandInConversationRequest[];
  /** A Conversation that exists already, with these participants' addresses (for Resume Conversation). */
  seedConversation(serviceSid: string, participants: string[]): string;
  /** The contact writes in a Conversation: a signed onMessageAdded to each of its webhooks; their statuses. */
  addMessage(conversationSid: string, author: string, body: string): Promise<number[]>;
  /** Send requests seen, including refused and duplicate ones. */
  readonly attempts: number;
  /** Message list requests seen (our channel's duplicate check on a retried send). */
  readonly lookups: number;
  /** Answer the next `n` creates with 500. */
  failNext(n: number): void;
  /** Refuse messages to this address with Twilio's 21211 (invalid To). */
  refuse(to: string): void;
  /** Called after a message is accepted and before the response is written; may delay it. */
  onAccept?: (message: StandInMessage) => void | Promise<void>;
  /** The callee answers: Twilio fetches the call's Url (signed) and gets TwiML. */
  answer(sid: string, extra?: Record<string, string>): Promise<string>;
  /** The call ends unanswered or after talking: a signed status callback. */
  endCall(sid: string, status: 'busy' | 'no-answer' | 'failed' | 'completed' | 'canceled'): Promise<number>;
  /** Posts a signed status callback for a message, as Twilio does. */
  reportStatus(sid: string, status: 'sent' | 'delivered' | 'failed' | 'undelivered', errorCode?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTwilioStandIn(accountSid: string, authToken: string): Promise<TwilioStandIn> {
  const messages: StandInMessage[] = [];
  const calls: StandInCall[] = [];
  const conversationMessages: Array<{ conversationSid: string; body: string; author: string }> = [];
  const refused = new Set<string>();
  const conversationRequests: StandInConversationRequest[] = [];
  const conversations = new Map<string, { serviceSid: string; webhooks: string[]; participants: string[] }>();
  let failures = 0;
  let attempts = 0;
  let lookups = 0;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const resource = (m: StandInMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    from: m.from,
    to: m.to,
    body: m.body,
    status: 'queued',
    direction: 'outbound-api',
    num_media: String(m.mediaUrls.length),
    num_segments: '1',
    messaging_service_sid: m.from.startsWith('MG') ? m.from : null,
    date_created: m.dateCreated.toUTCString(),
    error_code: null,
    error_message: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  });

  const signedPost = (url: string, params: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params) }, body: new URLSearchParams(params) });
  const callParams = (c: StandInCall, status: string): Record<string, string> => ({
    CallSid: c.sid, AccountSid: accountSid, From: c.from, To: c.to, Called: c.to, Caller: c.from, CallStatus: status, Direction: 'outbound-api', ApiVersion: '2010-04-01',
  });
  const standIn: TwilioStandIn = {
    url: '',
    calls,
    answer: async (sid, extra = {}) => {
      const c = calls.find((x) => x.sid === sid);
      if (!c) throw new Error(`no call ${sid}`);
      return (await signedPost(c.url, { ...callParams(c, 'in-progress'), ...extra })).text();
    },
    endCall: async (sid, status) => {
      const c = calls.find((x) => x.sid === sid);
      if (!c) throw new Error(`no call ${sid}`);
      return (await signedPost(c.statusCallback, { ...callParams(c, status), CallDuration: '0' })).status;
    },
    messages,
    conversationMessages,
    conversationRequests,
    seedConversation: (serviceSid, participants) => {
      const sid = `CH${randomBytes(16).toString('hex')}`;
      conversations.set(sid, { serviceSid, webhooks: [], participants });
      return sid;
    },
    addMessage: async (conversationSid, author, body) => {
      const c = conversations.get(conversationSid);
      if (!c) throw new Error(`no conversation ${conversationSid}`);
      const sid = `IM${randomBytes(16).toString('hex')}`;
      const params = { EventType: 'onMessageAdded', AccountSid: accountSid, ChatServiceSid: c.serviceSid, ConversationSid: conversationSid, MessageSid: sid, Author: author, Body: body, Index: '0', Source: 'SMS' };
      return Promise.all(c.webhooks.map(async (hook) => (await signedPost(hook, params)).status));
    },
    get attempts() {
      return attempts;
    },
    get lookups() {
      return lookups;
    },
    failNext: (n) => void (failures = n),
    refuse: (to) => void refused.add(to),
    reportStatus: async (sid, status, errorCode) => {
      const message = messages.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`no status callback for ${sid}`);
      const params: Record<string, string> = { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: accountSid, To: message.to, From: message.from };
      if (errorCode) params.ErrorCode = errorCode;
      const res = await fetch(message.statusCallback, {
        method: 'POST',
        headers: { 'x-twilio-signature': getExpectedTwilioSignature(authToken, message.statusCallback, params) },
        body: new URLSearchParams(params),
      });
      return res.status;
    },
    close: () => Promise.resolve(),
  };

  /** Conversations in a service: create, fetch, add a participant, add a scoped webhook. */
  const serveConversation = (method: string, path: string, match: RegExpExecArray, form: URLSearchParams, token: string | string[] | undefined, json: (status: number, body: unknown) => void) => {
    const [, serviceSid, sid, sub] = match;
    conversationRequests.push({ method, path, params: Object.fromEntries(form), ...(typeof token === 'string' ? { idempotencyToken: token } : {}) });
    const resource = (id: string) => ({ sid: id, account_sid: accountSid, chat_service_sid: serviceSid, friendly_name: form.get('FriendlyName'), state: 'active' });
    if (method === 'POST' && !sid) {
      const id = `CH${randomBytes(16).toString('hex')}`;
      conversations.set(id, { serviceSid: serviceSid!, webhooks: [], participants: [] });
      return json(201, resource(id));
    }
    const found = sid ? conversations.get(sid) : undefined;
    if (!found || found.serviceSid !== serviceSid) return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    if (method === 'GET' && !sub) return json(200, resource(sid!));
    if (method === 'GET' && sub === 'Participants') return json(200, { participants: found.participants.map((address) => ({ conversation_sid: sid, messaging_binding: { address } })) });
    if (method === 'POST' && sub === 'Participants') {
      const address = form.get('MessagingBinding.Address');
      found.participants.push(address ?? '');
      return json(201, { sid: `MB${randomBytes(16).toString('hex')}`, conversation_sid: sid, messaging_binding: { address, proxy_address: form.get('MessagingBinding.ProxyAddress') } });
    }
    if (method === 'POST' && sub === 'Webhooks') {
      found.webhooks.push(form.get('Configuration.Url') ?? '');
      return json(201, { sid: `WH${randomBytes(16).toString('hex')}`, conversation_sid: sid, target: form.get('Target') });
    }
    return json(405, { code: 20004, message: 'Method not allowed', status: 405 });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== expectedAuth) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
        if (req.method === 'GET' && url.pathname === messagesPath) {
          lookups++;
          const to = url.searchParams.get('To');
          const from = url.searchParams.get('From');
          const found = messages.filter((m) => (!to || m.to === to) && (!from || m.from === from)).reverse();
          return json(200, { messages: found.map(resource) });
        }
        if (req.method === 'POST' && url.pathname === messagesPath) {
          attempts++;
          if (failures > 0) {
            failures--;
            return json(500, { code: 20500, message: 'Internal Server Error', status: 500 });
          }
          const to = form.get('To') ?? '';
          if (refused.has(to)) return json(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
          const token = req.headers['i-twilio-idempotency-token'];
          const duplicate = typeof token === 'string' ? messages.find((m) => m.idempotencyToken === token) : undefined;
          if (duplicate) return json(201, resource(duplicate));
          const message: StandInMessage = {
            sid: `SM${randomBytes(16).toString('hex')}`,
            to,
            from: form.get('From') ?? form.get('MessagingServiceSid') ?? '',
            body: form.get('Body') ?? '',
            mediaUrls: form.getAll('MediaUrl'),
            dateCreated: new Date(),
            params: Object.fromEntries(form),
            ...(form.get('StatusCallback') ? { statusCallback: form.get('StatusCallback')! } : {}),
            ...(typeof token === 'string' ? { idempotencyToken: token } : {}),
          };
          messages.push(message);
          await standIn.onAccept?.(message);
          return json(201, resource(message));
        }
        const callsPath = `/2010-04-01/Accounts/${accountSid}/Calls.json`;
        if (req.method === 'GET' && url.pathname === callsPath) {
          lookups++;
          const found = calls.filter((c) => c.to === url.searchParams.get('To'));
          return json(200, { calls: found.map((c) => ({ sid: c.sid, to: c.to, from: c.from, status: 'queued', date_created: c.dateCreated.toUTCString() })) });
        }
        if (req.method === 'POST' && url.pathname === callsPath) {
          attempts++;
          if (failures > 0) {
            failures--;
            return json(500, { code: 20500, message: 'Internal Server Error', status: 500 });
          }
          const token = req.headers['i-twilio-idempotency-token'];
          const duplicate = typeof token === 'string' ? calls.find((c) => c.idempotencyToken === token) : undefined;
          const known = ['To', 'From', 'Url', 'Method', 'StatusCallback', 'StatusCallbackMethod'];
          const c: StandInCall = duplicate ?? {
            sid: `CA${randomBytes(16).toString('hex')}`,
            to: form.get('To') ?? '',
            from: form.get('From') ?? '',
            url: form.get('Url') ?? '',
            statusCallback: form.get('StatusCallback') ?? '',
            options: Object.fromEntries([...form.entries()].filter(([k]) => !known.includes(k))),
            dateCreated: new Date(),
            ...(typeof token === 'string' ? { idempotencyToken: token } : {}),
          };
          if (!duplicate) calls.push(c);
          return json(201, { sid: c.sid, account_sid: accountSid, to: c.to, from: c.from, status: 'queued', direction: 'outbound-api', date_created: c.dateCreated.toUTCString() });
        }
        const recording = /^\/2010-04-01\/Accounts\/[^/]+\/Calls\/([^/]+)\/Recordings(\/Twilio\.CURRENT)?\.json$/.exec(url.pathname);
        if (req.method === 'POST' && recording) {
          attempts++;
          return json(201, { sid: `RE${randomBytes(16).toString('hex')}`, call_sid: recording[1], status: recording[2] ? 'stopped' : 'in-progress', channels: Number(form.get('RecordingChannels') === 'dual' ? 2 : 1) });
        }
        if (req.method === 'POST' && url.pathname === '/v1/Interactions') {
          attempts++;
          return json(201, { sid: `KD${randomBytes(16).toString('hex')}`, channel: JSON.parse(form.get('Channel') ?? '{}') as unknown, routing: JSON.parse(form.get('Routing') ?? '{}') as unknown });
        }
        const service = /^\/v1\/Services\/([^/]+)\/Conversations(?:\/([^/]+)(?:\/(Participants|Webhooks))?)?$/.exec(url.pathname);
        if (service) return serveConversation(req.method ?? 'GET', url.pathname, service, form, req.headers['i-twilio-idempotency-token'], json);
        const conversation = /^\/v1\/Conversations\/([^/]+)\/Messages$/.exec(url.pathname);
        if (req.method === 'POST' && conversation) {
          attempts++;
          conversationMessages.push({ conversationSid: conversation[1]!, body: form.get('Body') ?? '', author: form.get('Author') ?? '' });
          return json(201, { sid: `IM${randomBytes(16).toString('hex')}`, conversation_sid: conversation[1], body: form.get('Body'), author: form.get('Author'), index: conversationMessages.length - 1 });
        }
        json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(standIn, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return standIn;
}

/** Signs and posts an inbound message webhook, as Twilio would. */
export async function postInboundMessage(
  url: string,
  authToken: string,
  message: { From: string; To: string; Body: string; MessageSid?: string },
  options: { signature?: string } = {},
): Promise<Response> {
  const sid = message.MessageSid ?? `SM${randomBytes(16).toString('hex')}`;
  const params: Record<string, string> = { ...message, MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, NumMedia: '0', NumSegments: '1', SmsStatus: 'received', ApiVersion: '2010-04-01' };
  const signature = options.signature ?? getExpectedTwilioSignature(authToken, url, params);
  return fetch(url, { method: 'POST', headers: { 'x-twilio-signature': signature }, body: new URLSearchParams(params) });
}
