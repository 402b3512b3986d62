import { FlowError } from '../engine/errors';
import type { TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { forkStreamProps } from './readers.generated';
import type { Infer } from './props';
import { attribute, attributes, parameterNodes, voiceOutcome } from './voice';


/**
 * Fork Stream — starts forking the call's audio to a WebSocket (`<Start><Stream>`) or a SIPREC
 * connector (`<Start><Siprec>`), or stops a named stream (`<Stop><Stream>`). The call is not
 * interrupted: the TwiML rides along with the next widget's answer and the flow goes on at once
 * with `next`, publishing nothing.
 *
 * @example
 * { "name": "fork", "type": "fork-stream", "transitions": [{ "event": "next", "next": "menu" }],
 *   "properties": { "stream_action": "start", "stream_name": "audio", "stream_transport_type": "websocket",
 *     "stream_url": "wss://example.test/audio", "stream_track": "both_tracks", "stream_parameters": [{ "key": "caller", "value": "{{contact.channel.address}}" }] } }
 */
export const forkStream: WidgetBehaviour<Infer<typeof forkStreamProps>> = {
  type: 'fork-stream',
  parse: (properties) => parseProperties('fork-stream', forkStreamProps, properties),
  run: async ({ name, stepSid, props, render, host, limits }) => {
    const action = render(props.stream_action).trim().toLowerCase();
    const streamName = attribute(props.stream_name, render);
    let twiml: TwimlNode;
    if (action === 'stop') {
      twiml = { verb: 'Stop', children: [{ verb: 'Stream', attributes: attributes({ name: streamName }) }] };
    } else if (action === 'start') {
      const siprec = render(props.stream_transport_type ?? '').trim().toLowerCase() === 'siprec';
      const track = attribute(props.stream_track, render);
      const fork: TwimlNode = {
        verb: siprec ? 'Siprec' : 'Stream',
        attributes: siprec
          ? attributes({ name: streamName, connectorName: attribute(props.stream_connector, render), track })
          : attributes({ name: streamName, url: attribute(props.stream_url, render), track }),
        children: parameterNodes(props.stream_parameters, render, limits),
      };
      twiml = { verb: 'Start', children: [fork] };
    } else {
      throw new FlowError('voice:invalid-stream-action', `Fork Stream cannot "${action}" a stream: expected start or stop`);
    }
    const outcome = await host.voice({ widget: name, stepSid, twiml: [twiml], awaitCallback: false });
    return voiceOutcome(name, outcome, () => ({ event: 'next', outputs: {} }));
  },
};
