import { z } from 'zod';
import type { WidgetBehaviour } from '../engine/widget';
import { lazySchema, parseProperties } from './parse';
import { renderKeyValueObject } from './values';

const schema = lazySchema(() =>
  z.looseObject({
    variables: z
      .array(
        z.looseObject({
          key: z.string().min(1, 'a variable needs a key'),
          value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
          type: z.string().optional(),
          parse_as_json: z.boolean().optional(),
        }),
      )
      .default([]),
  }),
);

type Props = z.infer<ReturnType<typeof schema>>;

/**
 * Set Variables — renders each value with Liquid (against the context before the step) and
 * stores it in `flow.variables.<key>`, visible to every later widget; the same pairs appear
 * under `widgets.<name>` — which is how a subflow returns values to its parent. Keys are
 * case-sensitive; a value marked "parse as JSON" becomes an object. Emits `next`.
 *
 * @example
 * { "name": "set_1", "type": "set-variables", "transitions": [{ "event": "next", "next": "reply" }],
 *   "properties": { "variables": [{ "key": "greeting", "value": "Hi {{trigger.message.Body}}" }] } }
 */
export const setVariables: WidgetBehaviour<Props> = {
  type: 'set-variables',
  parse: (properties) => parseProperties('set-variables', schema(), properties),
  run: ({ props, render }) => {
    const variables = renderKeyValueObject(props.variables, render);
    return { event: 'next', variables, outputs: variables };
  },
};
