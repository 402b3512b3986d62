import { z } from 'zod';
import { CALL_PARAMS } from '../outputs';
import { defineWidget } from '../widget-spec';
import { exactlyOneOf, integerLike, offset, text } from '../values';

/**
 * Say/Play — speaks text, plays an audio URL or sends DTMF digits on the live call, then
 * continues. Exactly one of `say`, `play`, `digits`.
 */
export const sayPlay = defineWidget({
  type: 'say-play',
  label: 'Say/Play',
  events: ['audioComplete'],
  onCall: true,
  outputs: [...CALL_PARAMS],
  editor: {
    group: 'Voice',
    namePrefix: 'say_play',
    defaults: { say: '', loop: 1 },
    labels: { say: 'Text to Say', play: 'Audio URL to Play', digits: 'Digits to Send' },
    multiline: ['say'],
  },
  properties: z
    .looseObject({
      say: text.optional(),
      play: text.optional(),
      digits: text.optional(),
      voice: text.optional(),
      language: text.optional(),
      loop: integerLike.optional(),
      offset: offset.optional(),
    })
    .superRefine(exactlyOneOf(['say', 'play', 'digits'])),
});
