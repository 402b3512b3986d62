import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { offset } from '../values';

/**
 * Set Variables — `variables: [{key, value, type?}]`; each value is Liquid and lands in
 * `flow.variables.<key>`.
 */
export const setVariables = defineWidget({
  type: 'set-variables',
  label: 'Set Variables',
  events: ['next'],
  publishesVariables: true,
  editor: {
    group: 'Flow Control',
    namePrefix: 'set_variables',
    defaults: { variables: [] },
  },
  properties: z.looseObject({
    variables: z
      .array(
        z.looseObject({
          key: z.string().min(1, 'a variable needs a key'),
          value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
          type: z.string().optional(),
          // "Parse as JSON object": the rendered value is parsed (the engine reads it as `type: json`).
          parse_as_json: z.boolean().optional(),
        }),
      )
      .optional(),
    offset: offset.optional(),
  }),
});
