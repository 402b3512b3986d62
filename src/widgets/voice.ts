import type { FlowContext } from '../engine/context';
import { FlowError } from '../engine/errors';
import type { JsonObject, JsonValue } from '../engine/json';
import type { EngineLimits } from '../engine/limits';
import type { WidgetOutcome } from '../engine/widget';
import { callParams, type TwimlNode, type VoiceOutcome } from '../engine/voice';
import { renderKeyValues, type KeyValue } from './values';

/**
 * What voice widgets share: attribute values rendered from properties that may be numbers,
 * booleans or Liquid, and how a call's answer becomes an outcome. A caller who hangs up ends the
 * widget with `hangup`; a widget without that event then ends the execution, as in Studio.
 */
export type Render = (template: string) => string;

/** A property as a TwiML attribute value: Liquid rendered, empty dropped. */
export function attribute(value: unknown, render: Render): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = render(value).trim();
  return text === '' ? undefined : text;
}

/** Attributes with the undefined ones left out. */
export function attributes(entries: Record<string, string | number | boolean | undefined>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, string | number | boolean] => e[1] !== undefined));
}

/** The outcome of a widget that answered the call: `hangup`, or what `onCallback` makes of the callback. */
export function voiceOutcome(widget: string, outcome: VoiceOutcome, onCallback: (params: JsonObject) => WidgetOutcome): WidgetOutcome {
  if (outcome.kind === 'no-call') throw new FlowError('voice:no-call', `Widget "${widget}" speaks to a call, and this execution has none`);
  if (outcome.kind === 'hangup') return { event: 'hangup', outputs: callParams(outcome.params) };
  if (outcome.kind === 'timeout') return { event: 'timeout', outputs: {} };
  return onCallback(outcome.params);
}

/** `true`/`"true"` (case-insensitive) → true. */
export function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/**
 * `[{key, value}]` entries as `<Parameter name value/>` nouns (`<Config>` for Connect Virtual
 * Agent's configurations): Pay, Stream, VirtualAgent and ConversationRelay take them alike.
 */
export function parameterNodes(entries: readonly KeyValue[] | undefined, render: Render, limits: Pick<EngineLimits, 'maxJsonDepth'>, verb = 'Parameter'): TwimlNode[] {
  return renderKeyValues(entries ?? [], render, limits.maxJsonDepth).map(([key, v]) => ({ verb, attributes: { name: key, value: typeof v === 'string' ? v : JSON.stringify(v) } }));
}

/** The `<Task>` of a TaskRouter enqueue: its attributes are JSON text, `{}` when none. */
export function taskNode(taskAttributes: string | undefined, priority: unknown, timeout: unknown, render: (t: string) => string): TwimlNode {
  const text = render(taskAttributes ?? '').trim();
  return { verb: 'Task', attributes: attributes({ priority: attribute(priority, render), timeout: attribute(timeout, render) }), text: text === '' ? '{}' : text };
}

/**
 * What `<Enqueue>`'s callback means for Enqueue Call and Send to Flex: the queue refused the
 * caller (`failedToEnqueue`), the call failed (`callFailure`), or the caller left the queue
 * any other way — bridged to an agent, hung up, dequeued (`callComplete`).
 */
export function enqueueOutcome(params: JsonObject): WidgetOutcome {
  const outputs = callParams(params);
  const result = typeof params.QueueResult === 'string' ? params.QueueResult.toLowerCase() : '';
  if (['error', 'system-error', 'queue-full'].includes(result)) return { event: 'failedToEnqueue', outputs };
  if (params.CallStatus === 'failed') return { event: 'callFailure', outputs };
  return { event: 'callComplete', outputs };
}

/**
 * The call this execution drives: the incoming call that started it, else the latest call a
 * widget published (Make Outgoing Call's answered call, a Gather's callback, …).
 */
export function executionCallSid(context: Readonly<FlowContext>): string | undefined {
  const call = context.trigger.call;
  if (isObject(call) && typeof call.CallSid === 'string' && call.CallSid !== '') return call.CallSid;
  for (const outputs of Object.values(context.widgets).reverse()) {
    if (typeof outputs.CallSid === 'string' && outputs.CallSid !== '') return outputs.CallSid;
  }
  return undefined;
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
