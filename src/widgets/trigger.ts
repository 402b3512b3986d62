import type { WidgetBehaviour } from '../engine/widget';

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
export const trigger: WidgetBehaviour<Record<string, unknown>> = {
  type: 'trigger',
  parse: (properties) => properties,
  run: ({ trigger }) => ({ event: trigger.event }),
};
