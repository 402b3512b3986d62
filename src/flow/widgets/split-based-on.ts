import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { offset, text } from '../values';

/**
 * Split Based On… — renders `input` and follows the first `match` transition whose conditions
 * hold, else `noMatch`. The branches and their conditions live on the transitions, not here.
 */
export const splitBasedOn = defineWidget({
  type: 'split-based-on',
  label: 'Split Based On...',
  events: ['noMatch', 'match'],
  repeatableEvents: ['match'],
  editor: {
    group: 'Flow Control',
    namePrefix: 'split',
    defaults: { input: '' },
    labels: { input: 'Variable to Test' },
  },
  properties: z.looseObject({
    // Studio requires it, but a freshly dropped split without a variable exports without it.
    input: text.optional(),
    offset: offset.optional(),
  }),
});
