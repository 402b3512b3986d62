import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { array, boolean, object, string, type Infer } from './props';
import { entryValue, renderKeyValueObject } from './values';

const schema = object({
  variables: array(
    object({
      key: string.min(1, 'a variable needs a key'),
      value: entryValue,
      type: string.optional(),
      parse_as_json: boolean.optional(),
    }),
  ).default([]),
});

type Props = Infer<typeof schema>;

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
  parse: (properties) => parseProperties('set-variables', schema, properties),
  run: ({ props, render, limits }) => {
    const variables = renderKeyValueObject(props.variables, render, limits.maxJsonDepth);
    return { event: 'next', variables, outputs: variables };
  },
};
