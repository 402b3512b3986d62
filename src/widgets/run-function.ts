import type { WidgetBehaviour } from '../engine/widget';
import { bounded, formEncode, httpOutcome, httpUrl } from './http';
import { parseProperties } from './parse';
import { object, string, type Infer } from './props';
import { keyValues, renderKeyValues } from './values';

const schema = object({
  url: string.default(''),
  parameters: keyValues.default([]),
});

/**
 * Run Function — POSTs the parameters, form-encoded, to a Twilio Function (or any URL that
 * answers like one), signed with the account's token. Publishes `status_code`, `content_type`,
 * `body` and, for JSON, `parsed`; `success` on 2xx, else `fail`.
 *
 * @example
 * { "name": "function_1", "type": "run-function", "transitions": [{ "event": "success" }, { "event": "fail" }],
 *   "properties": { "url": "https://example-1234.twil.io/lookup", "parameters": [{ "key": "from", "value": "{{contact.channel.address}}" }] } }
 */
export const runFunction: WidgetBehaviour<Infer<typeof schema>> = {
  type: 'run-function',
  parse: (properties) => parseProperties('run-function', schema, properties),
  run: async ({ name, props, render, host, limits }) => {
    const url = httpUrl(render(props.url));
    if (!url) return { event: 'fail', outputs: {}, error: { code: 'http:invalid-url', message: 'The function URL is not an absolute http(s) URL (81010)' } };
    const result = await host.httpRequest({
      widget: name,
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formEncode(renderKeyValues(props.parameters, render, limits.maxJsonDepth)),
      ...bounded(limits),
    });
    return httpOutcome(result, 'success', 'fail', limits);
  },
};
