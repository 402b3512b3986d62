import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { httpTarget, keyValueList, offset, text } from '../values';

/**
 * Run Function — POSTs `parameters` to a Twilio Function (`url`) and exposes its response;
 * `fail` on a non-2xx answer or after 10 seconds.
 */
export const runFunction = defineWidget({
  type: 'run-function',
  label: 'Run Function',
  events: ['success', 'fail'],
  failureEvent: 'fail',
  outputs: ['body', 'parsed', 'status_code', 'content_type', 'headers'],
  // Studio finds the Function by its SIDs; here it is an HTTP POST to its URL, signed with the server's auth token.
  movedHere: (p) =>
    typeof p.url === 'string' && p.url.trim() !== ''
      ? "posts to the Function's URL signed with this server's TWILIO_AUTH_TOKEN: a Protected Function accepts it only when that is the Twilio account's token"
      : "has no url: Studio finds the Function by its SIDs, this server posts to its URL — set url to the Function's URL (https://…twil.io/…) or the widget takes fail (81010)",
  editor: {
    group: 'Tools & Execute Code',
    namePrefix: 'function',
  },
  properties: z.looseObject({
    // Required by Studio, yet real exports omit it or leave it empty.
    url: httpTarget.optional(),
    service_sid: text.optional(),
    environment_sid: text.optional(),
    function_sid: text.optional(),
    parameters: keyValueList.optional(),
    offset: offset.optional(),
  }),
});
