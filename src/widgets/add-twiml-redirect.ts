import { applies } from '../engine/host';
import type { JsonObject } from '../engine/json';
import type { WidgetBehaviour } from '../engine/widget';
import { httpUrl } from './http';
import { parseProperties } from './parse';
import { addTwimlRedirectProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, voiceOutcome } from './voice';


/** Studio's longest wait for the return (4 hours), also its default. */
const MAX_WAIT_SECONDS = 14400;

/** Twilio's own call parameters: the return publishes only what the external TwiML added. */
const CALL_KEYS = new Set(
  'AccountSid ApiVersion CallSid CallStatus Called CalledCity CalledCountry CalledState CalledZip Caller CallerCity CallerCountry CallerState CallerZip Direction From FromCity FromCountry FromState FromZip To ToCity ToCountry ToState ToZip FlowEvent WorkflowId StepSid'.split(' '),
);

/**
 * TwiML Redirect — hands the call to external TwiML at `url` with a `<Redirect>` (Studio never
 * fetches it itself). That TwiML comes back to the flow with `FlowEvent=return`: `return`, with
 * the parameters it added as outputs (`?foo=bar` → `widgets.<name>.foo`); no return within
 * `timeout` seconds is `timeout`; `timeout: 0` does not wait and returns at once. A URL that
 * is not absolute http(s) is `fail`.
 *
 * Studio redirects "a call or message": it answers the pending TwiML request of Twilio Voice or
 * Messaging with the `<Redirect>` (https://www.twilio.com/docs/studio/widget-library/twiml-redirect).
 * Here message webhooks are answered at once (replies go out through the API) and REST or
 * subflow starts have no TwiML request at all, so an execution without a call has nothing to
 * redirect: `fail` (`voice:no-call`), as Studio has no request to answer either.
 *
 * @example
 * { "name": "external", "type": "add-twiml-redirect",
 *   "transitions": [{ "event": "return", "next": "menu" }, { "event": "timeout" }, { "event": "fail" }],
 *   "properties": { "url": "https://example.test/twiml?caller={{contact.channel.address}}", "method": "POST", "timeout": "14400" } }
 */
export const addTwimlRedirect: WidgetBehaviour<Infer<typeof addTwimlRedirectProps>> = {
  type: 'add-twiml-redirect',
  parse: (properties) => parseProperties('add-twiml-redirect', addTwimlRedirectProps, properties),
  run: async ({ name, stepSid, props, render, host }) => {
    const url = render(props.url).trim();
    if (!httpUrl(url)) return { event: 'fail', outputs: {}, error: { code: 'voice:invalid-url', message: 'The redirect URL is not an absolute http(s) URL' } };
    const method = String(attribute(props.method, render) ?? 'POST').toUpperCase();
    const timeout = waitSeconds(attribute(props.timeout, render));
    const twiml = [{ verb: 'Redirect', attributes: { method }, text: url }];
    const wait = timeout > 0;
    const outcome = await host.voice({ widget: name, stepSid, twiml, awaitCallback: wait, ...(wait ? { timeoutSeconds: timeout } : {}) });
    // Executions recorded before this change ended here (voiceOutcome's voice:no-call).
    if (outcome.kind === 'no-call' && applies(host, 'twiml-redirect-no-call-fail')) {
      return {
        event: 'fail',
        outputs: {},
        error: { code: 'voice:no-call', message: `TwiML Redirect "${name}" has no call to redirect: message webhooks are answered at once, so only a call's TwiML can carry the <Redirect>` },
      };
    }
    return voiceOutcome(name, outcome, (params) => {
      if (!wait) return { event: 'return', outputs: {} };
      const outputs: JsonObject = {};
      for (const [key, value] of Object.entries(params)) if (!CALL_KEYS.has(key)) outputs[key] = value;
      return { event: 'return', outputs };
    });
  },
};

/** `timeout` in seconds, 0–14400; missing or not a whole number means Studio's default. */
function waitSeconds(value: string | number | boolean | undefined): number {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : MAX_WAIT_SECONDS;
  return Math.min(Math.max(Math.trunc(seconds), 0), MAX_WAIT_SECONDS);
}
