import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, httpTarget, keyValueList, offset, oneOf, text } from '../values';

/**
 * Make HTTP Request — calls an external URL with a form or JSON body and exposes the response;
 * `failed` on a non-2xx answer, a network error or after 10 seconds.
 */
export const makeHttpRequest = defineWidget({
  type: 'make-http-request',
  label: 'Make HTTP Request',
  events: ['success', 'failed'],
  failureEvent: 'failed',
  outputs: ['status_code', 'body', 'parsed', 'content_type'],
  editor: {
    group: 'Tools & Execute Code',
    namePrefix: 'http',
    defaults: { method: 'GET', content_type: 'application/x-www-form-urlencoded;charset=utf-8', url: '' },
    labels: { body: 'Request Body', method: 'Request Method', add_twilio_auth: 'Authenticate with Twilio' },
    multiline: ['body'],
    advanced: ['add_twilio_auth'],
  },
  properties: z.looseObject({
    method: oneOf(['GET', 'POST']),
    url: httpTarget.min(1, 'a request needs a URL'),
    // Studio requires it, yet real exports lack it.
    content_type: oneOf([
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded;charset=utf-8',
      'application/json',
      'application/json;charset=utf-8',
    ]).optional(),
    body: text.optional(),
    parameters: keyValueList.optional(),
    add_twilio_auth: booleanLike.optional(),
    offset: offset.optional(),
  }),
});
