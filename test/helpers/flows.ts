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
