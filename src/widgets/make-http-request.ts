import type { HttpMethod } from '../engine/effects';
import type { WidgetBehaviour } from '../engine/widget';
import { bounded, formEncode, httpOutcome, httpUrl } from './http';
import { parseProperties } from './parse';
import { makeHttpRequestProps } from './readers.generated';
import { type Infer } from './props';
import { renderKeyValues } from './values';


const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Make HTTP Request — calls a URL and publishes `status_code`, `content_type`, `body` and, for
 * JSON, `parsed`. Parameters go in the query string of GET/DELETE and, with the form content
 * type, in the body; with the JSON content type the rendered `body` is sent. 2xx within the
 * time limit is `success`; anything else is `failed`.
 *
 * @example
 * { "name": "http_1", "type": "make-http-request", "transitions": [{ "event": "success" }, { "event": "failed" }],
 *   "properties": { "method": "POST", "url": "https://example.com/orders", "content_type": "application/json;charset=utf-8",
 *                   "body": "{\"id\": \"{{flow.data.id}}\"}" } }
 */
export const makeHttpRequest: WidgetBehaviour<Infer<typeof makeHttpRequestProps>> = {
  type: 'make-http-request',
  parse: (properties) => parseProperties('make-http-request', makeHttpRequestProps, properties),
  run: async ({ name, props, render, host, limits }) => {
    const method = render(props.method).trim().toUpperCase() as HttpMethod;
    const url = httpUrl(render(props.url));
    if (!url || !METHODS.has(method)) {
      return { event: 'failed', outputs: {}, error: { code: 'http:invalid-url', message: !url ? 'The URL is not an absolute http(s) URL' : `Unsupported method ${method}` } };
    }
    const parameters = renderKeyValues(props.parameters ?? [], render, limits.maxJsonDepth);
    if (parameters.some(([key]) => key === 'method')) {
      // Studio refuses this reserved parameter name (error 81014).
      return { event: 'failed', outputs: {}, error: { code: 'http:reserved-parameter', message: 'A parameter may not be named "method" (81014)' } };
    }
    const contentType = props.content_type ?? 'application/x-www-form-urlencoded';
    const form = /x-www-form-urlencoded/i.test(contentType);
    let body: string | undefined;
    if (method === 'GET' || method === 'DELETE' || !form) {
      for (const [key, value] of parameters) url.searchParams.append(key, typeof value === 'string' ? value : JSON.stringify(value));
      if (method !== 'GET' && method !== 'DELETE') body = render(props.body ?? '');
    } else {
      body = parameters.length > 0 ? formEncode(parameters) : render(props.body ?? '');
    }
    const twilioAuth = props.add_twilio_auth === true || props.add_twilio_auth === 'true';
    const result = await host.httpRequest({
      widget: name,
      method,
      url: url.toString(),
      headers: body !== undefined ? { 'content-type': contentType } : {},
      ...(body !== undefined ? { body } : {}),
      twilioAuth,
      ...bounded(limits),
    });
    return httpOutcome(result, 'success', 'failed', limits);
  },
};
