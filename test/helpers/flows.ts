import type { ExecutionTrigger } from '../../src/engine/context';
import type { JsonObject } from '../../src/engine/json';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';

/** A Trigger widget whose transitions lead to `next` for the given events. */
export function triggerState(next: Partial<Record<string, string>>): FlowState {
  const events = ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'];
  return {
    name: 'Trigger',
    type: 'trigger',
    properties: { offset: { x: 0, y: 0 } },
    transitions: events.map((event) => (next[event] ? { event, next: next[event] } : { event })),
  };
}

/** A flow from its widgets, Trigger first. */
export function flowOf(...states: FlowState[]): FlowDefinition {
  return { description: 'test flow', initial_state: 'Trigger', flags: { allow_concurrent_calls: true }, states };
}

export function setVariablesState(name: string, variables: Array<{ key: string; value: string }>, next?: string): FlowState {
  return {
    name,
    type: 'set-variables',
    properties: { variables, offset: { x: 0, y: 200 } },
    transitions: [next ? { event: 'next', next } : { event: 'next' }],
  };
}

/** What the REST API hands an execution it starts: a POST to /Executions from +15005550006 to +14155551234 with `parameters`. */
export function restTrigger(parameters: JsonObject = {}): ExecutionTrigger {
  return {
    event: 'incomingRequest',
    data: { from: '+15005550006', to: '+14155551234', parameters },
    contactAddress: '+14155551234',
    channelAddress: '+15005550006',
    flowData: parameters,
  };
}
