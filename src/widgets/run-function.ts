import { applies } from '../engine/host';
import type { JsonObject } from '../engine/json';
import type { WidgetBehaviour } from '../engine/widget';
import { bounded, formEncode, httpOutcome, httpUrl } from './http';
import { parseProperties } from './parse';
import { runFunctionProps } from './readers.generated';
import type { Infer } from './props';
import { renderKeyValues } from './values';


/** The one response header Studio publishes, as `headers["x-twilio-function-concurrency"]`. */
const CONCURRENCY_HEADER = 'x-twilio-function-concurrency';

/**
 * Run Function — POSTs the parameters, form-encoded, to a Twilio Function (or any URL that
 * answers like one), signed with the account's token. Publishes `status_code`, `content_type`,
 * `body`, for JSON `parsed`, and `headers` — only Twilio's function concurrency header, when the
 * response has it (https://www.twilio.com/docs/studio/widget-library/run-function, "Variables
 * from all return types"); `success` on 2xx, else `fail`.
 *
 * @example
 * { "name": "function_1", "type": "run-function", "transitions": [{ "event": "success" }, { "event": "fail" }],
 *   "properties": { "url": "https://example-1234.twil.io/lookup", "parameters": [{ "key": "from", "value": "{{contact.channel.address}}" }] } }
 */
export const runFunction: WidgetBehaviour<Infer<typeof runFunctionProps>> = {
  type: 'run-function',
  parse: (properties) => parseProperties('run-function', runFunctionProps, properties),
  run: async ({ name, props, render, host, limits }) => {
    const url = httpUrl(render(props.url ?? ''));
    if (!url) return { event: 'fail', outputs: {}, error: { code: 'http:invalid-url', message: 'The function URL is not an absolute http(s) URL (81010)' } };
    const result = await host.httpRequest({
      widget: name,
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formEncode(renderKeyValues(props.parameters ?? [], render, limits.maxJsonDepth)),
      ...bounded(limits),
      keepHeaders: [CONCURRENCY_HEADER],
    });
    const outcome = httpOutcome(result, 'success', 'fail', limits);
    // Executions recorded before `headers` existed replay without it (their results lack it too).
    if (!result.ok || !applies(host, 'run-function-headers')) return outcome;
    const headers: JsonObject = {};
    const concurrency = result.headers?.[CONCURRENCY_HEADER];
    if (concurrency !== undefined) headers[CONCURRENCY_HEADER] = concurrency;
    return { ...outcome, outputs: { ...outcome.outputs, headers } };
  },
};
