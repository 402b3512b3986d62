import { FlowError } from '../engine/errors';
import type { JsonObject } from '../engine/json';
import type { WidgetOutcome } from '../engine/widget';
import { callParams, type VoiceOutcome } from '../engine/voice';

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
