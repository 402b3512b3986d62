import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { integerLike, offset, oneOf, text } from '../values';

/**
 * TwiML Redirect — hands the call or message session to external TwiML at `url`; the flow
 * resumes when that TwiML redirects back with `FlowEvent=return`, or after `timeout` seconds.
 */
export const addTwimlRedirect = defineWidget({
  type: 'add-twiml-redirect',
  label: 'TwiML Redirect',
  events: ['return', 'timeout', 'fail'],
  failureEvent: 'fail',
  timeoutEvent: 'timeout',
  onCall: true,
  editor: {
    group: 'Voice',
  },
  properties: z.looseObject({
    url: text.min(1, 'a redirect needs a URL'),
    method: oneOf(['GET', 'POST']).optional(),
    timeout: integerLike.optional(),
    offset: offset.optional(),
  }),
});
