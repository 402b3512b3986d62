import { z } from 'zod';
import type { VoiceQuery, VoiceService } from '../../services/voice';
import type { LocalCall, LocalCalls } from '../../store/local-messages';
import type { FlowStore } from '../../store/flow-store';
import { newSid } from '../../sids';
import { checkStartAddresses } from '../addresses';
import { ApiError } from '../errors';
import { twilioDate } from '../paging';
import { route, type RouteSpec } from '../route';
import { requireFlow } from './flows';

export interface LocalVoiceDeps {
  readonly calls: LocalCalls;
  readonly voice: VoiceService;
  readonly publicUrl: string;
  readonly accountSid: string;
  /** UTF-8 bytes of From and To together, as for a REST start (ExecutionLimits.maxContactBytes). */
  readonly maxContactBytes: number;
  /** The flows: one that does not exist is answered 404 before anything is stored. */
  readonly store: FlowStore;
}

const callResult = z.object({ call_sid: z.string(), twiml: z.string(), next_url: z.string().nullable() });
const callResource = z.object({ sid: z.string(), from: z.string(), to: z.string(), status: z.string(), date_created: z.string() });

/**
 * The local channel's phone (CHANNEL_PROVIDER=local): call a flow as a caller and follow its
 * TwiML, or answer, refuse or hang up the calls flows place — a call can be tried end to end
 * without Twilio. Each answer is the TwiML Twilio would get, plus the URL Twilio would request
 * next (a Gather action, a Redirect, …).
 */
export function localVoiceRoutes(deps: LocalVoiceDeps): RouteSpec<never>[] {
  const webhook = (flow: string) => `${deps.publicUrl}/v1/Accounts/${deps.accountSid}/Flows/${flow}`;
  const params = (call: LocalCall, extra: Record<string, string>, status: string) => ({
    CallSid: call.sid, AccountSid: deps.accountSid, From: call.from_address, To: call.to_address, Caller: call.from_address, Called: call.to_address,
    CallStatus: status, Direction: call.url === '' ? 'inbound' : 'outbound-api', ApiVersion: '2010-04-01', ...extra,
  });
  /** Plays Twilio: requests one of our flow webhook URLs for the call. */
  const request = async (call: LocalCall, url: string, extra: Record<string, string>, status: string) => {
    const target = ourWebhook(url, deps.publicUrl);
    if (!target) throw new ApiError(400, 20001, `Url must be this server's flow webhook (${deps.publicUrl}/v1/Accounts/…/Flows/…)`);
    const result = await deps.voice.handle(target.flowSid, target.query, params(call, extra, status));
    if ('unknownFlow' in result) throw ApiError.notFound(url);
    return { call_sid: call.sid, twiml: result.twiml, next_url: nextUrl(result.twiml) };
  };
  const requireCall = async (accountSid: string, sid: string | undefined) => {
    const call = sid ? await deps.calls.get(accountSid, sid) : undefined;
    if (!call) throw ApiError.notFound(`/v1/Local/Calls/${sid ?? ''}`);
    return call;
  };
  const extras = z.record(z.string(), z.string());

  return [
    route({
      method: 'post',
      path: '/v1/Local/Flows/:FlowSid/Calls',
      operationId: 'CreateLocalCall',
      summary: 'Call a flow as a caller (From) dialing one of our numbers (To)',
      tag: 'Local channel',
      input: z.looseObject({ From: z.string().trim().min(1), To: z.string().trim().min(1) }),
      response: { status: 201, description: "The flow's TwiML answer", schema: callResult },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        // The same rules as any start: the call may start an execution keyed by From.
        checkStartAddresses({ To: input.To, From: input.From, contact: 'From' }, deps.maxContactBytes);
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const call = await deps.calls.save({
          sid: newSid('CA'), account_sid: account.accountSid, to_address: input.To, from_address: input.From, url: '', status_callback: webhook(flow.sid), status: 'in-progress', idempotency_key: null, date_created: new Date().toISOString(),
        });
        return { status: 201, body: await request(call, webhook(flow.sid), {}, 'ringing') };
      },
    }),
    route({
      method: 'post',
      path: '/v1/Local/Calls/:CallSid/Requests',
      operationId: 'CreateLocalCallRequest',
      summary: "Request a URL from the call's TwiML (next_url), with what the caller did (Digits, SpeechResult, …)",
      tag: 'Local channel',
      input: z.looseObject({ Url: z.string().url() }).catchall(z.string()),
      response: { status: 200, description: 'The next TwiML', schema: callResult },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const call = await requireCall(account.accountSid, path.CallSid);
        const { Url, ...rest } = input;
        return { status: 200, body: await request(call, Url, extras.parse(rest), 'in-progress') };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Local/Calls',
      operationId: 'ListLocalCall',
      summary: 'Calls of the local channel, newest first',
      tag: 'Local channel',
      response: { status: 200, description: 'The calls', schema: z.object({ calls: z.array(callResource) }) },
      errors: [401],
      handle: async ({ account }) => ({
        status: 200,
        body: { calls: (await deps.calls.list(account.accountSid, 100)).map((c) => ({ sid: c.sid, from: c.from_address, to: c.to_address, status: c.status, date_created: twilioDate(c.date_created) })) },
      }),
    }),
    route({
      method: 'post',
      path: '/v1/Local/Calls/:CallSid/Answer',
      operationId: 'CreateLocalCallAnswer',
      summary: 'Answer a call a flow placed (the callee picks up)',
      tag: 'Local channel',
      input: z.looseObject({}).catchall(z.string()),
      response: { status: 200, description: "The flow's TwiML for the callee", schema: callResult },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const call = await requireCall(account.accountSid, path.CallSid);
        if (call.url === '') throw new ApiError(400, 20001, 'Only calls a flow placed can be answered');
        await deps.calls.setStatus(call.sid, 'in-progress');
        return { status: 200, body: await request(call, call.url, extras.parse(input), 'in-progress') };
      },
    }),
    route({
      method: 'post',
      path: '/v1/Local/Calls/:CallSid/Status',
      operationId: 'CreateLocalCallStatus',
      summary: 'End a call: busy, no-answer, failed (never answered) or completed (hung up)',
      tag: 'Local channel',
      input: z.looseObject({ Status: z.enum(['busy', 'no-answer', 'failed', 'completed', 'canceled']) }),
      response: { status: 204, description: 'Reported to the flow' },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const call = await requireCall(account.accountSid, path.CallSid);
        // A placed call reports to its own status callback; a call to a flow, to that flow's webhook
        // (where a number's status callback points when the flow answers it).
        const target = ourWebhook(call.status_callback, deps.publicUrl);
        if (!target) throw new ApiError(400, 20001, 'This call has no status callback on this server to report to');
        await deps.calls.setStatus(call.sid, input.Status);
        await deps.voice.handle(target.flowSid, target.query, params(call, {}, input.Status));
        return { status: 204 };
      },
    }),
  ] as RouteSpec<never>[];
}

/** The flow SID and our query parameters of one of this server's flow webhook URLs. */
function ourWebhook(url: string, publicUrl: string): { flowSid: string; query: VoiceQuery } | undefined {
  if (!url.startsWith(`${publicUrl}/`)) return undefined;
  const parsed = new URL(url);
  const match = /^\/v1\/Accounts\/[^/]+\/Flows\/(FW[0-9a-f]{32})$/.exec(parsed.pathname);
  if (!match) return undefined;
  const query: Record<string, string> = {};
  for (const key of ['FlowEvent', 'WorkflowId', 'StepSid', 'Turn', 'Poll']) {
    const value = parsed.searchParams.get(key);
    if (value !== null) query[key] = value;
  }
  return { flowSid: match[1]!, query };
}

/** The URL Twilio would request next: an action, or a Redirect. */
function nextUrl(twiml: string): string | null {
  const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const found = /<(?:Gather|Record|Dial|Enqueue|Pay|Connect)[^>]*\saction="([^"]+)"/.exec(twiml)?.[1] ?? /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)?.[1];
  return found ? unescape(found) : null;
}
