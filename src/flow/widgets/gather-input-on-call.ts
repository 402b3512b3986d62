import { z } from 'zod';
import { CALL_PARAMS } from '../outputs';
import { defineWidget } from '../widget-spec';
import { atMostOneOf, booleanLike, integerLike, offset, oneOf, text } from '../values';

/**
 * Gather Input On Call — prompts the caller (say or play) and collects keypresses and, when the
 * `speech` transition is wired, speech.
 */
export const gatherInputOnCall = defineWidget({
  type: 'gather-input-on-call',
  label: 'Gather Input On Call',
  events: ['keypress', 'speech', 'timeout'],
  timeoutEvent: 'timeout',
  onCall: true,
  outputs: ['Digits', 'SpeechResult', 'Confidence', 'FinishedOnKey', ...CALL_PARAMS],
  editor: {
    group: 'Voice',
    namePrefix: 'gather',
    defaults: { say: '', stop_gather: true, timeout: 5, number_of_digits: 1 },
    labels: { say: 'Text to Say', play: 'Audio URL to Play', stop_gather: 'Stop Gathering on Keypress' },
    multiline: ['say'],
    advanced: ['speech_timeout', 'gather_language', 'hints', 'speech_model', 'profanity_filter'],
  },
  properties: z
    .looseObject({
      say: text.optional(),
      play: text.optional(),
      voice: text.optional(),
      language: text.optional(),
      loop: integerLike.optional(),
      timeout: integerLike.optional(),
      finish_on_key: text.optional(),
      stop_gather: booleanLike.optional(),
      number_of_digits: integerLike.optional(),
      speech_timeout: z.union([integerLike, oneOf(['auto'])]).optional(),
      gather_language: text.optional(),
      hints: text.optional(),
      speech_model: oneOf(['default', 'numbers_and_commands', 'phone_call']).optional(),
      profanity_filter: booleanLike.optional(),
      offset: offset.optional(),
    })
    // Not "exactly one": real exports include a silent gather with neither prompt.
    .superRefine(atMostOneOf(['say', 'play'])),
});
