import { z } from 'zod';
import type { JsonObject } from '../engine/json';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';

const schema = z.looseObject({
  variables: z
    .array(
      z.looseObject({
        key: z.string().min(1, 'a variable needs a key'),
        value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
      }),
    )
    .default([]),
});

type Props = z.infer<typeof schema>;

/**
 * Set Variables — renders each value with Liquid and stores it in `flow.variables.<key>`,
 * visible to every later widget. Keys are case-sensitive. Emits `next`.
 *
 * @example
 * { "name": "set_1", "type": "set-variables", "transitions": [{ "event": "next", "next": "reply" }],
 *   "properties": { "variables": [{ "key": "greeting", "value": "Hi {{trigger.message.Body}}" }] } }
 */
export const setVariables: WidgetBehaviour<Props> = {
  type: 'set-variables',
  events: ['next'],
  parse: (properties) => parseProperties('set-variables', schema, properties),
  run: ({ props, render }) => {
    const variables: JsonObject = {};
    for (const { key, value } of props.variables) {
      variables[key] = value == null ? '' : typeof value === 'string' ? render(value) : value;
    }
    return { event: 'next', variables, outputs: variables };
  },
};
