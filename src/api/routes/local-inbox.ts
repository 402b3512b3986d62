import { z } from 'zod';
import type { MessagingService } from '../../services/messaging';
import type { LocalMessage, LocalMessages } from '../../store/local-messages';
import type { FlowStore } from '../../store/flow-store';
import { newSid } from '../../sids';
import { checkStartAddresses } from '../addresses';
import { ApiError } from '../errors';
import { twilioDate } from '../paging';
import { route, type RouteSpec } from '../route';
import { requireFlow } from './flows';

export interface LocalInboxDeps {
  readonly inbox: LocalMessages;
  readonly messaging: MessagingService;
  /** UTF-8 bytes of From and To together, as for a REST start (ExecutionLimits.maxContactBytes). */
  readonly maxContactBytes: number;
  /** The flows: one that does not exist is answered 404 before anything is stored. */
  readonly store: FlowStore;
}

const messageSchema = z.object({
  sid: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  from: z.string(),
  to: z.string(),
  body: z.string(),
  media_urls: z.array(z.string()),
  status: z.string(),
  date_created: z.string(),
});

function resource(m: LocalMessage) {
  return {
    sid: m.sid,
    direction: m.direction as 'outbound' | 'inbound',
    from: m.from_address,
    to: m.to_address,
    body: m.body,
    media_urls: JSON.parse(m.media) as string[],
    status: m.status,
    date_created: twilioDate(m.date_created),
  };
}

/**
 * The local channel's inbox (CHANNEL_PROVIDER=local): read what flows sent, and answer as a
 * contact — the reply enters the flow exactly like an inbound message webhook would.
 */
export function localInboxRoutes(deps: LocalInboxDeps): RouteSpec<never>[] {
  return [
    route({
      method: 'get',
      path: '/v1/Local/Messages',
      operationId: 'ListLocalMessage',
      summary: 'Messages of the local channel, newest first (optionally those to or from one contact)',
      tag: 'Local channel',
      input: z.looseObject({ Contact: z.string().optional(), PageSize: z.coerce.number().int().min(1).max(1000).default(50) }),
      response: { status: 200, description: 'The messages', schema: z.object({ messages: z.array(messageSchema) }) },
      errors: [400, 401],
      handle: async ({ input, account }) => ({
        status: 200,
        body: { messages: (await deps.inbox.list(account.accountSid, input.Contact, input.PageSize)).map(resource) },
      }),
    }),
    route({
      method: 'post',
      path: '/v1/Local/Flows/:FlowSid/Messages',
      operationId: 'CreateLocalMessage',
      summary: 'Send a message to a flow as a contact (From) to one of our addresses (To)',
      tag: 'Local channel',
      input: z.looseObject({ From: z.string().trim().min(1), To: z.string().trim().min(1), Body: z.string().max(1600).default('') }),
      response: { status: 201, description: 'The message, and what became of it', schema: messageSchema.extend({ outcome: z.string() }) },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        // The same rules as any start: the message may start an execution keyed by From.
        checkStartAddresses({ To: input.To, From: input.From, contact: 'From' }, deps.maxContactBytes);
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const sid = newSid('SM');
        const message = await deps.inbox.save({
          sid,
          account_sid: account.accountSid,
          direction: 'inbound',
          to_address: input.To,
          from_address: input.From,
          body: input.Body,
          media: '[]',
          status: 'received',
          idempotency_key: null,
          date_created: new Date().toISOString(),
        });
        const params = { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: account.accountSid, From: input.From, To: input.To, Body: input.Body, NumMedia: '0', NumSegments: '1', SmsStatus: 'received', ApiVersion: '2010-04-01' };
        const outcome = await deps.messaging.receive(account.accountSid, flow.sid, params, 'message');
        if (outcome === 'unknown-flow') throw ApiError.notFound(`/v1/Local/Flows/${path.FlowSid}/Messages`);
        return { status: 201, body: { ...resource(message), outcome } };
      },
    }),
  ] as RouteSpec<never>[];
}
