import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { keyValueList, offset, oneOf, text } from '../values';

/**
 * Fork Stream — starts or stops forking the call's audio to a WebSocket (`stream_url`) or a
 * SIPREC connector, and continues at once.
 */
export const forkStream = defineWidget({
  type: 'fork-stream',
  label: 'Fork Stream',
  events: ['next'],
  onCall: true,
  editor: {
    group: 'Voice',
    defaults: { stream_action: 'start' },
  },
  properties: z.looseObject({
    stream_action: oneOf(['start', 'stop']),
    stream_name: text.optional(),
    stream_transport_type: oneOf(['websocket', 'siprec']).optional(),
    stream_url: text.optional(),
    stream_connector: text.optional(),
    stream_track: oneOf(['inbound_track', 'outbound_track', 'both_tracks']).optional(),
    stream_parameters: keyValueList.optional(),
    offset: offset.optional(),
  }),
});
