import { isConditionType } from '../flow/conditions';
import { testCondition } from '../engine/conditions';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { splitBasedOnProps } from './readers.generated';
import type { Infer } from './props';


/**
 * Split Based On… — tests its `match` branches in flow order and takes the first whose
 * conditions all hold, else `noMatch`. Each condition tests its rendered `arguments[0]`
 * (falling back to the widget's `input`) against its rendered `value`. Publishes nothing.
 *
 * @example
 * { "name": "split_1", "type": "split-based-on", "properties": { "input": "{{trigger.message.Body}}" },
 *   "transitions": [{ "event": "noMatch", "next": "help" },
 *     { "event": "match", "next": "yes", "conditions": [{ "friendly_name": "yes", "arguments": ["{{trigger.message.Body}}"],
 *       "type": "matches_any_of", "value": "y, yes" }] }] }
 */
export const splitBasedOn: WidgetBehaviour<Infer<typeof splitBasedOnProps>> = {
  type: 'split-based-on',
  parse: (properties) => parseProperties('split-based-on', splitBasedOnProps, properties),
  run: ({ props, transitions, render }) => {
    const input = props.input ?? '';
    for (const [index, transition] of transitions.entries()) {
      if (transition.event !== 'match' || !transition.conditions?.length) continue;
      const holds = transition.conditions.every(
        (c) => isConditionType(c.type) && testCondition(c.type, render(c.arguments?.[0] ?? input), render(c.value ?? '')),
      );
      if (holds) return { event: 'match', transition: index };
    }
    return { event: 'noMatch' };
  },
};
