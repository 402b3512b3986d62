import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import { applies } from '../engine/host';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { gatherInputOnCallProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, voiceOutcome } from './voice';


/**
 * Gather Input On Call — a `<Gather>` around the prompt. Keys pressed → `keypress` (`Digits`),
 * speech → `speech` (`SpeechResult`, `Confidence`), nothing → `timeout`. Speech recognition is on
 * only when the `speech` transition is connected, as in Studio (it costs money).
 *
 * `stop_gather` is Studio's "Stop gathering on keypress?" (default yes): yes, `finish_on_key`
 * (default `#`) submits the digits; no, no key does — the digits go when the timeout passes or
 * `number_of_digits` are in (https://www.twilio.com/docs/studio/widget-library/gather-input-call,
 * keypress options) — `<Gather finishOnKey="">`, which TwiML reads as no finish key.
 *
 * @example
 * { "name": "menu", "type": "gather-input-on-call",
 *   "transitions": [{ "event": "keypress", "next": "route" }, { "event": "speech" }, { "event": "timeout", "next": "menu" }],
 *   "properties": { "say": "Press 1 for sales", "number_of_digits": 1, "timeout": 5 } }
 */
export const gatherInputOnCall: WidgetBehaviour<Infer<typeof gatherInputOnCallProps>> = {
  type: 'gather-input-on-call',
  parse: (properties) => parseProperties('gather-input-on-call', gatherInputOnCallProps, properties),
  run: async ({ name, stepSid, props, transitions, render, host }) => {
    const speech = transitions.some((t) => t.event === 'speech' && t.next);
    const prompt: TwimlNode[] = [];
    const loop = attribute(props.loop, render);
    if (props.play !== undefined && props.play.trim() !== '') prompt.push({ verb: 'Play', attributes: attributes({ loop }), text: render(props.play).trim() });
    else if (props.say !== undefined && props.say !== '') {
      prompt.push({ verb: 'Say', attributes: attributes({ voice: attribute(props.voice, render), language: attribute(props.language, render), loop }), text: render(props.say) });
    }
    const gather: TwimlNode = {
      verb: 'Gather',
      attributes: attributes({
        action: CALLBACK_URL,
        method: 'POST',
        input: speech ? 'dtmf speech' : 'dtmf',
        // Studio takes the timeout path when nothing was entered: let Twilio call back anyway.
        actionOnEmptyResult: true,
        timeout: attribute(props.timeout, render),
        finishOnKey: noFinishKey(props.stop_gather, render) && applies(host, 'gather-stop-gather') ? '' : props.finish_on_key !== undefined ? render(props.finish_on_key) : undefined,
        numDigits: attribute(props.number_of_digits, render),
        ...(speech
          ? {
              speechTimeout: attribute(props.speech_timeout, render),
              language: attribute(props.gather_language, render),
              hints: attribute(props.hints, render),
              speechModel: attribute(props.speech_model, render),
              profanityFilter: attribute(props.profanity_filter, render),
            }
          : {}),
      }),
      children: prompt,
    };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [gather], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => {
      const outputs = callParams(params);
      if (typeof params.Digits === 'string' && params.Digits !== '') return { event: 'keypress', outputs };
      if (typeof params.SpeechResult === 'string' && params.SpeechResult !== '') return { event: 'speech', outputs };
      return { event: 'timeout', outputs };
    });
  },
};

/** "Stop gathering on keypress?" answered no: `false` or `"false"` (Liquid rendered). */
function noFinishKey(value: string | number | boolean | undefined, render: (template: string) => string): boolean {
  if (value === false) return true;
  return typeof value === 'string' && render(value).trim().toLowerCase() === 'false';
}
