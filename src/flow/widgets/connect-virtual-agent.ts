import { z } from 'zod';
import { VIRTUAL_AGENT } from '../outputs';
import { defineWidget } from '../widget-spec';
import { booleanLike, offset, text } from '../values';

/**
 * Connect Virtual Agent (v1) — hands the call to a Dialogflow ES agent through a
 * `connector`; replaced by `connect-virtual-agent-v2` (Dialogflow CX).
 */
export const connectVirtualAgent = defineWidget({
  type: 'connect-virtual-agent',
  label: 'Connect Virtual Agent (Dialogflow ES)',
  events: ['return', 'hangup'],
  legacy: true,
  onCall: true,
  outputs: [...VIRTUAL_AGENT],
  properties: z.looseObject({
    connector: text.min(1, 'a virtual agent needs a connector'),
    language: text.optional(),
    sentiment_analysis: booleanLike.optional(),
    status_callback: text.optional(),
    offset: offset.optional(),
  }),
});
