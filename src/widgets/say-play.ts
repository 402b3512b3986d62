import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { sayPlayProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, voiceOutcome } from './voice';


/**
 * Say/Play — speaks text (`<Say>`), plays audio (`<Play>`) or sends digits (`<Play digits>`),
 * `loop` times, then Twilio comes back for the next step: `audioComplete`, with the call's
 * parameters as outputs.
 *
 * @example
 * { "name": "welcome", "type": "say-play", "transitions": [{ "event": "audioComplete", "next": "menu" }],
 *   "properties": { "say": "Welcome to {{flow.channel.address}}", "voice": "Polly.Joanna", "language": "en-US", "loop": 1 } }
 */
export const sayPlay: WidgetBehaviour<Infer<typeof sayPlayProps>> = {
  type: 'say-play',
  parse: (properties) => parseProperties('say-play', sayPlayProps, properties),
  run: async ({ name, stepSid, props, render, host }) => {
    const loop = attribute(props.loop, render);
    const twiml: TwimlNode[] = [speech(props, render, loop), { verb: 'Redirect', attributes: { method: 'POST' }, text: CALLBACK_URL }];
    const outcome = await host.voice({ widget: name, stepSid, twiml, awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => ({ event: 'audioComplete', outputs: callParams(params) }));
  },
};

function speech(props: Infer<typeof sayPlayProps>, render: (t: string) => string, loop: string | number | boolean | undefined): TwimlNode {
  if (props.play !== undefined && props.play.trim() !== '') return { verb: 'Play', attributes: attributes({ loop }), text: render(props.play).trim() };
  if (props.digits !== undefined && props.digits.trim() !== '') return { verb: 'Play', attributes: { digits: render(props.digits).trim() } };
  return {
    verb: 'Say',
    attributes: attributes({ voice: attribute(props.voice, render), language: attribute(props.language, render), loop }),
    text: render(props.say ?? ''),
  };
}
