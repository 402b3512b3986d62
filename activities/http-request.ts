import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { errors, request, type Dispatcher } from 'undici';
import type { HttpRequest, HttpResult } from '../src/engine/effects';

export interface HttpDependencies {
  /** The egress-checked agent (see src/net/egress.ts). */
  readonly dispatcher: Dispatcher;
  /** The account: signs requests (X-Twilio-Signature) and authenticates `add_twilio_auth` calls. */
  readonly account: { readonly accountSid: string; readonly authToken: string };
  /**
   * Tests only: where to send a request instead (a local stand-in for the internet). The
   * original URL is still what is signed and reported.
   */
  readonly rewriteUrl?: (url: URL) => URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Make HTTP Request / Run Function's call: bounded in time and size, redirects followed (each
 * hop re-checked by the egress agent), Basic credentials from the URL or the account, signed
 * like Studio's own requests. Never throws for a failed call: the result says what happened,
 * so the widget takes its failure transition and the activity is not retried.
 */
export async function performHttpRequest(deps: HttpDependencies, spec: HttpRequest, cancel?: AbortSignal): Promise<HttpResult> {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return { ok: false, code: 'http:invalid-url', message: `Invalid URL ${spec.url}` };
  }
  const timeout = AbortSignal.timeout(spec.timeoutMs);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  let method = spec.method;
  let body = spec.body;
  try {
    for (let hop = 0; ; hop++) {
      const response = await send(deps, spec, url, method, body, signal);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode) || typeof location !== 'string') return await readBody(response, spec.maxResponseBytes, spec.keepHeaders);
      await response.body.dump();
      if (hop >= spec.maxRedirects) return { ok: false, code: 'http:redirects', message: `More than ${spec.maxRedirects} redirects` };
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return { ok: false, code: 'http:invalid-url', message: `Redirect to ${next.protocol} refused` };
      if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  } catch (err) {
    if (cancel?.aborted) throw cancel.reason; // cancelled by Temporal: report it as such
    return failure(err, spec);
  }
}

async function send(deps: HttpDependencies, spec: HttpRequest, url: URL, method: HttpRequest['method'], body: string | undefined, signal: AbortSignal) {
  const headers: Record<string, string> = { 'user-agent': 'TwilioProxy/1.1 (open-studio)', accept: '*/*', ...lowerCase(spec.headers) };
  if (body === undefined) delete headers['content-type'];
  if (url.username || url.password) headers.authorization = basic(decodeURIComponent(url.username), decodeURIComponent(url.password));
  if (spec.twilioAuth) headers.authorization = basic(deps.account.accountSid, deps.account.authToken);
  const target = new URL(url);
  target.username = '';
  target.password = '';
  headers['x-twilio-signature'] = sign(deps.account.authToken, target, headers['content-type'], body);
  const destination = deps.rewriteUrl ? deps.rewriteUrl(target) : target;
  return request(destination, { method, headers, body, dispatcher: deps.dispatcher, signal });
}

/** Twilio's signature: HMAC-SHA1 of the URL plus sorted form parameters (form bodies and bodiless calls). */
function sign(authToken: string, url: URL, contentType: string | undefined, body: string | undefined): string {
  const form = body !== undefined && /x-www-form-urlencoded/i.test(contentType ?? '');
  const params: Record<string, string> = {};
  if (form) for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  return getExpectedTwilioSignature(authToken, url.toString(), params);
}

async function readBody(response: Dispatcher.ResponseData, maxBytes: number, keepHeaders: readonly string[] = []): Promise<HttpResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.body.destroy();
      return { ok: false, code: 'http:too-large', message: `The response body is over ${maxBytes} bytes` };
    }
    chunks.push(chunk);
  }
  const contentType = response.headers['content-type'];
  const result = { ok: true as const, status: response.statusCode, contentType: typeof contentType === 'string' ? contentType : '', body: Buffer.concat(chunks).toString('utf8') };
  if (keepHeaders.length === 0) return result;
  const headers: Record<string, string> = {};
  for (const name of keepHeaders) {
    const value = response.headers[name.toLowerCase()];
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { ...result, headers };
}

function failure(err: unknown, spec: HttpRequest): HttpResult {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError) {
    return { ok: false, code: 'http:timeout', message: `No complete response within ${spec.timeoutMs} ms` };
  }
  if (code === 'EGRESS_REFUSED' || e.cause?.name === 'EgressRefused' || e.name === 'EgressRefused') {
    return { ok: false, code: 'http:blocked', message: (e.cause?.name === 'EgressRefused' ? e.cause : e).message };
  }
  return { ok: false, code: 'http:network', message: `${code ?? e.name}: ${e.message}` };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

function lowerCase(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
