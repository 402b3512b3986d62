import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

/** A caller, as Twilio plays one: signed voice webhooks, and the URLs our TwiML sends it to. */
export interface CallResponse {
  readonly status: number;
  readonly twiml: string;
  /** The URL Twilio would request next: a Gather/Record/Dial/… action, or a Redirect. */
  readonly next?: string;
  /** The answer's Server-Timing header: `app;dur=…` and, when Temporal was asked, `temporal;dur=…`. */
  readonly serverTiming: string | null;
}

export function callSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export async function postVoice(url: string, authToken: string, params: Record<string, string>): Promise<CallResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params) }, body: new URLSearchParams(params) });
  const twiml = await res.text();
  return { status: res.status, twiml, serverTiming: res.headers.get('server-timing'), ...nextUrl(twiml) };
}

function nextUrl(twiml: string): { next?: string } {
  const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const action = /<(?:Gather|Record|Dial|Enqueue|Pay|Connect)[^>]*\saction="([^"]+)"/.exec(twiml)?.[1];
  const redirect = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)?.[1];
  const url = action ?? redirect;
  return url ? { next: unescape(url) } : {};
}

/** The call's standard parameters, as Twilio sends them with every webhook. */
export function callParams(sid: string, from: string, to: string, extra: Record<string, string> = {}): Record<string, string> {
  return { CallSid: sid, AccountSid: 'AC', From: from, To: to, Caller: from, Called: to, CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01', ...extra };
}
