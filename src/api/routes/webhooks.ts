import { Router, type Request, type RequestHandler, type Response } from 'express';
import twilio from 'twilio';
import type { AccountCredentials } from '../../config/credentials';
import { FINAL_CALL_STATUSES } from '../../engine/call';
import type { Logger } from '../../logger';
import type { Metrics } from '../../observability/metrics';
import { isExecutionOfFlow } from '../../services/execution-workflow-ids';
import type { MessagingService } from '../../services/messaging';
import type { VoiceQuery, VoiceService } from '../../services/voice';
import { hasUnsafeCharacters } from '../../channels/addresses';
import { checkAddressBytes } from '../addresses';
import { ApiError } from '../errors';
import { annotateRequest, requestLog } from '../middleware/request-context';
import { twilioForm } from '../middleware/twilio-form';
import { signaturePresent, twilioSignature } from '../middleware/twilio-signature';

export interface WebhookDeps {
  readonly account: AccountCredentials;
  readonly publicUrl: string;
  readonly validate: boolean;
  readonly messaging: MessagingService;
  readonly voice: VoiceService;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** UTF-8 bytes of the addresses an execution is keyed by (Studio: 300, 81023); they make its workflow ID. */
  readonly maxContactBytes: number;
}

/** The label of `webhookSeconds`: what Twilio was telling us. */
export type WebhookKind = 'message' | 'call' | 'message-status' | 'call-status' | 'conversation' | 'other';

/** Twilio waits for our answer; messages are answered at once and replies go out through the API. */
const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

/**
 * The flow webhook, as Twilio calls `https://webhooks.twilio.com/v1/Accounts/{AccountSid}/Flows/{FlowSid}`:
 * inbound messages, conversation messages (`onMessageAdded`) and calls; plus the status
 * callbacks of the messages and calls flows make. Every request is signed by Twilio and checked first.
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  // Twilio's parameter sets grow without notice: take them all, bounded.
  // Unsigned requests are refused before the form is read; the signature is checked against it after.
  const form = [signaturePresent({ enabled: deps.validate }), ...twilioForm({ maxBytes: '64kb', maxParameters: 500 })];
  const signed = twilioSignature({ publicUrl: deps.publicUrl, authToken: deps.account.authToken, enabled: deps.validate });

  const flowWebhook = async (req: Request, res: Response) => {
    const { AccountSid, FlowSid } = req.params as { AccountSid: string; FlowSid: string };
    if (AccountSid !== deps.account.accountSid) throw ApiError.notFound(req.path);
    annotateRequest({ flow_sid: FlowSid });
    const params = paramsOf(req);
    checkAddressSizes(params, deps.maxContactBytes);
    const query = voiceQuery(req);
    const seen = flowWebhookKind(params, query);
    // Anything that is neither a call nor a conversation message is taken as an SMS/MMS (or refused as invalid).
    const kind = seen === 'conversation' ? 'conversation' : seen === 'call' || seen === 'call-status' ? 'call' : 'message';
    if (kind === 'call') {
      const result = await deps.voice.handle(FlowSid, query, params);
      if ('unknownFlow' in result) throw ApiError.notFound(req.path);
      res.type('text/xml').send(result.twiml);
      return;
    }
    // A Conversation a Start / Resume Conversation widget attached names its execution.
    const execution = kind === 'conversation' && typeof req.query.WorkflowId === 'string' ? req.query.WorkflowId : undefined;
    const outcome = await deps.messaging.receive(AccountSid, FlowSid, params, kind, execution);
    if (outcome === 'unknown-flow') throw ApiError.notFound(req.path);
    if (outcome === 'invalid') throw new ApiError(400, 20001, 'Not an inbound message: MessageSid, From and To (or ConversationSid and Author) are required');
    // Twilio's retry reached us while the first attempt (here or on another API process) still
    // delivers it: neither taken twice nor dropped — a retryable answer, as for Temporal away.
    if (outcome === 'in-progress') throw new ApiError(503, 20503, `Message ${params.MessageSid ?? ''} is being taken by another request; try again shortly`, undefined, { 'Retry-After': '1' });
    if (outcome !== 'delivered') requestLog(res, deps.logger).info({ flow_sid: FlowSid, message_sid: params.MessageSid, outcome }, 'inbound message not delivered');
    res.type('text/xml').send(kind === 'conversation' ? '' : EMPTY_TWIML);
  };

  const timed = webhookTimer(deps.metrics);
  const ofFlowWebhook = (req: Request) => flowWebhookKind(paramsOf(req), voiceQuery(req));
  router.post('/v1/Accounts/:AccountSid/Flows/:FlowSid', timed(ofFlowWebhook), ...form, signed, flowWebhook);
  router.get('/v1/Accounts/:AccountSid/Flows/:FlowSid', timed(ofFlowWebhook), signed, flowWebhook);
  router.post('/v1/Accounts/:AccountSid/Flows/:FlowSid/MessageStatus', timed(() => 'message-status'), ...form, signed, async (req, res) => {
    const { AccountSid, FlowSid } = req.params as { AccountSid: string; FlowSid: string };
    const workflowId = typeof req.query.WorkflowId === 'string' ? req.query.WorkflowId : undefined;
    // Only an execution of the flow in the path (or a subflow it runs, whose ID extends its own) hears of it.
    if (AccountSid !== deps.account.accountSid || !isExecutionOfFlow(workflowId, FlowSid)) throw ApiError.notFound(req.path);
    annotateRequest({ flow_sid: FlowSid });
    await deps.messaging.status(workflowId, paramsOf(req));
    res.status(204).end();
  });
  return router;
}

/**
 * Times each webhook into `webhookSeconds`. The kind is read when the response closes, from
 * the parameters parsed by then, so refused requests (bad signature, unknown flow) count too.
 */
function webhookTimer(metrics: Metrics | undefined): (kindOf: (req: Request) => WebhookKind) => RequestHandler {
  return (kindOf) => (req, res, next) => {
    if (!metrics) return next();
    const started = performance.now();
    res.once('close', () => metrics.webhookSeconds.observe({ kind: kindOf(req), status: String(res.statusCode) }, (performance.now() - started) / 1000));
    next();
  };
}

/**
 * What a flow webhook is: a conversation message (`onMessageAdded`), a call's status (our
 * `FlowEvent=status` callback, or a final `CallStatus` on the number's own URL), a call, an
 * inbound message, or none of these.
 */
function flowWebhookKind(params: Record<string, string>, query: VoiceQuery): WebhookKind {
  if (params.EventType === 'onMessageAdded' || (params.ConversationSid && params.Author)) return 'conversation';
  if (params.CallSid) {
    const final = query.FlowEvent === undefined && FINAL_CALL_STATUSES.has(params.CallStatus ?? '');
    return query.FlowEvent === 'status' || final ? 'call-status' : 'call';
  }
  return params.MessageSid || params.SmsSid ? 'message' : 'other';
}

/** Our own query parameters on callback URLs; everything else in a GET is Twilio's. */
const VOICE_QUERY = ['FlowEvent', 'WorkflowId', 'StepSid', 'Turn', 'Poll'] as const;

function voiceQuery(req: Request): VoiceQuery {
  const query: Record<string, string> = {};
  for (const key of VOICE_QUERY) if (typeof req.query[key] === 'string') query[key] = req.query[key];
  return query;
}

/**
 * The addresses that key an execution end up in its workflow ID, which Temporal bounds: an
 * oversized one is refused here as Studio refuses it on a REST start (81023). Their shapes are
 * Twilio's to choose (alphanumeric senders, short codes, channels), but no address Twilio sends
 * holds a control character: such a one is refused as on every other entry point (21212, 21211).
 */
function checkAddressSizes(params: Record<string, string>, maxBytes: number): void {
  checkAddressBytes(maxBytes, "The webhook's From and To together", params.From, params.To);
  checkAddressBytes(maxBytes, "The webhook's Author", params.Author);
  checkAddressBytes(maxBytes, "The webhook's ConversationSid", params.ConversationSid);
  for (const [name, code] of [['From', 21212], ['Author', 21212], ['To', 21211], ['ConversationSid', 21211]] as const) {
    const value = params[name];
    if (value !== undefined && hasUnsafeCharacters(value)) throw new ApiError(400, code, `Invalid '${name}' address ${JSON.stringify(value)}: it holds a control character`);
  }
}

function paramsOf(req: Request): Record<string, string> {
  const source = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>;
  // No prototype: a parameter named `__proto__` is a parameter like any other.
  const params = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(source ?? {})) {
    if (req.method !== 'POST' && (VOICE_QUERY as readonly string[]).includes(key)) continue;
    params[key] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return params;
}
