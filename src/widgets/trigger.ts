import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import type { Infer } from './props';
import { triggerProps } from './readers.generated';

/**
 * Trigger — the flow's entry point. It emits the event of whatever started the execution
 * (`incomingMessage`, `incomingCall`, `incomingConversationMessage`, `incomingRequest`,
 * `incomingParent`) and publishes nothing under `widgets`: the trigger's data lives in
 * `trigger.*`.
 *
 * @example
 * { "name": "Trigger", "type": "trigger", "properties": { "offset": { "x": 0, "y": 0 } },
 *   "transitions": [{ "event": "incomingMessage", "next": "reply" }, { "event": "incomingRequest" }] }
 */
export const trigger: WidgetBehaviour<Infer<typeof triggerProps>> = {
  type: 'trigger',
  parse: (properties) => parseProperties('trigger', triggerProps, properties),
  run: ({ trigger }) => ({ event: trigger.event }),
};
