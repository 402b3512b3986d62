import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionTrigger } from '../../src/engine/context';
import type { ConversationRequest, ConversationResult, FlexHandoff, FlexHandoffResult, HttpRequest, HttpResult, OutboundMessage, OutgoingCall, PlaceCallResult, RecordingRequest, RecordingResult, ReplyOutcome, SendResult, SubflowResult } from '../../src/engine/effects';
import type { BehaviourChange } from '../../src/engine/host';
import type { TwimlNode, VoiceOutcome } from '../../src/engine/voice';
import type { JsonObject } from '../../src/engine/json';
import { resolveLimits, type EngineLimits } from '../../src/engine/limits';
import { runExecution } from '../../src/engine/run';
import { newExecutionState } from '../../src/engine/state';
import type { FlowState, Transition } from '../../src/flow/definition';
import { outputsOf } from '../../src/flow/widget-catalog';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import { WIDGETS } from '../../src/widgets';
import { flowOf, restTrigger, triggerState } from '../helpers/flows';
import { scriptedHost } from '../helpers/host';

/**
 * Registry-driven widget fixtures: every widget the engine runs has `test/widgets/<type>.json`,
 * an array of cases. Each runs the widget, named `w`, after a REST trigger, with the case's
 * context and scripted effects, and checks the step it records.
 */
interface WidgetCase {
  description: string;
  /** The Twilio page the expected behaviour follows. */
  source?: string;
  properties: Record<string, unknown>;
  transitions?: Transition[];
  /** Merged into the initial context (`flow.variables`, `widgets`, …). */
  context?: JsonObject;
  trigger?: Partial<ExecutionTrigger>;
  /** Responses to the widget's HTTP calls, in order. */
  http?: HttpResult[];
  subflow?: SubflowResult;
  /** Results of the widget's sends, in order. */
  send?: SendResult[];
  /** How the wait for a reply ends. */
  reply?: ReplyOutcome;
  /** What Twilio answers to each TwiML the widget gives, in order. */
  voice?: VoiceOutcome[];
  call?: PlaceCallResult & { status?: string };
  recording?: RecordingResult;
  flex?: FlexHandoffResult;
  conversation?: ConversationResult;
  limits?: Partial<EngineLimits>;
  depth?: number;
  /** Behaviour changes recorded after this execution began: `applies()` is false for them. */
  legacy?: BehaviourChange[];
  expect: {
    event?: string;
    next?: string;
    /** `null`: the widget publishes nothing under `widgets`. */
    outputs?: JsonObject | null;
    variables?: JsonObject;
    /** `flow.channel` after the step. */
    channel?: JsonObject;
    error?: string;
    /** The execution ended with this failure code instead of a step. */
    failure?: string;
    /** …and a message containing this. */
    failureMessage?: string;
    /** Each request made, matched partially. */
    requests?: Array<Partial<HttpRequest>>;
    subflows?: JsonObject[];
    /** Each message sent, matched partially. */
    sent?: Array<Partial<OutboundMessage>>;
    waits?: JsonObject[];
    /** The TwiML of each voice request, exactly. */
    twiml?: TwimlNode[][];
    calls?: Array<Partial<OutgoingCall>>;
    recordings?: Array<Partial<RecordingRequest>>;
    handoffs?: Array<Partial<FlexHandoff>>;
    /** Each Conversation started or resumed, matched partially. */
    conversations?: Array<Partial<ConversationRequest>>;
  };
}

const DIR = path.join(__dirname);

function merge(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)) {
      merge(current, value);
    } else {
      target[key] = value;
    }
  }
}

async function runCase(type: string, c: WidgetCase) {
  const transitions = c.transitions ?? WIDGET_SPECS[type]!.events.filter((e) => !WIDGET_SPECS[type]!.repeatableEvents?.includes(e)).map((event) => ({ event, next: `after_${event}` }));
  const widget: FlowState = { name: 'w', type, properties: c.properties, transitions };
  const targets = [...new Set(transitions.map((t) => t.next).filter((n): n is string => !!n))].map((name) => ({ name, type: 'set-variables', properties: {}, transitions: [{ event: 'next' }] }));
  const trigger: ExecutionTrigger = { ...restTrigger(), ...c.trigger };
  const flow = flowOf(triggerState({ [trigger.event]: 'w' }), widget, ...targets);
  const state = newExecutionState('FW00000000000000000000000000000001', 'FN00000000000000000000000000000001', flow.initial_state, trigger);
  if (c.context) merge(state.context, c.context);
  const responses = [...(c.http ?? [])];
  const sends = [...(c.send ?? [])];
  const voiceAnswers = [...(c.voice ?? [])];
  const host = scriptedHost({
    http: () => responses.shift() ?? { ok: false, code: 'http:network', message: 'no scripted response' },
    ...(c.subflow ? { subflow: () => c.subflow! } : {}),
    send: () => sends.shift() ?? { ok: false, code: 'message:rejected', message: 'no scripted send' },
    ...(c.reply ? { reply: () => c.reply! } : {}),
    ...(c.voice ? { voice: () => voiceAnswers.shift() ?? { kind: 'no-call' } } : {}),
    ...(c.call ? { call: () => c.call! } : {}),
    ...(c.recording ? { recording: () => c.recording! } : {}),
    ...(c.flex ? { flex: () => c.flex! } : {}),
    ...(c.conversation ? { conversation: () => c.conversation! } : {}),
  });
  const legacy = c.legacy ?? [];
  Object.assign(host, { applies: (change: BehaviourChange) => !legacy.includes(change) });
  await runExecution(flow, state, host, { widgets: WIDGETS, limits: resolveLimits(c.limits), depth: c.depth ?? 0 });
  return { state, host };
}

/**
 * The leaf paths of what a widget published that its spec does not declare: a declared path
 * covers what lies below it; Set Variables may also publish its keys.
 */
function undeclaredOutputs(type: string, published: unknown, properties: Record<string, unknown>): string[] {
  const declared = outputsOf({ type, properties });
  const spec = WIDGET_SPECS[type]!;
  // A call widget publishes Twilio's callback parameters as they come; Run Subflow, the subflow's variables.
  if (spec.onCall || (spec.publishesVariables && !('variables' in properties))) return [];
  const covered = (path: string) => declared.some((d) => path === d || path.startsWith(`${d}.`));
  const leaves: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (path !== '' && covered(path)) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
    } else if (path !== '') leaves.push(path);
  };
  walk(published ?? {}, '');
  return leaves;
}

describe.each(Object.keys(WIDGETS).sort())('widget %s', (type) => {
  const file = path.join(DIR, `${type}.json`);

  it('has a fixture file', () => {
    expect(fs.existsSync(file)).toBe(true);
  });

  const cases = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as WidgetCase[]) : [];
  it.each(cases.map((c) => [c.description, c] as const))('%s', async (_description, c) => {
    const { state, host } = await runCase(type, c);
    if (c.expect.failure) {
      expect(state.failure?.code).toBe(c.expect.failure);
      if (c.expect.failureMessage !== undefined) expect(state.failure?.message).toContain(c.expect.failureMessage);
      return;
    }
    expect(state.failure).toBeUndefined();
    const step = state.steps[1]!;
    // Whatever the case expects, the behaviour keeps to its spec: events it declares, outputs it declares.
    const spec = WIDGET_SPECS[type]!;
    expect(spec.onCall ? [...spec.events, 'hangup'] : spec.events).toContain(step.name);
    expect(undeclaredOutputs(type, state.context.widgets.w, c.properties)).toEqual([]);
    if (c.expect.event !== undefined) expect(step.name).toBe(c.expect.event);
    if (c.expect.next !== undefined) expect(step.transitioned_to).toBe(c.expect.next);
    if (c.expect.outputs !== undefined) expect(state.context.widgets.w ?? null).toEqual(c.expect.outputs);
    if (c.expect.variables !== undefined) expect(state.context.flow.variables).toEqual(c.expect.variables);
    if (c.expect.channel !== undefined) expect(state.context.flow.channel).toEqual(c.expect.channel);
    expect(step.error?.code).toBe(c.expect.error);
    if (c.expect.requests !== undefined) {
      expect(host.http).toHaveLength(c.expect.requests.length);
      c.expect.requests.forEach((r, i) => expect(host.http[i]).toMatchObject(r));
    }
    if (c.expect.subflows !== undefined) expect(host.subflows).toMatchObject(c.expect.subflows);
    if (c.expect.sent !== undefined) {
      expect(host.sent).toHaveLength(c.expect.sent.length);
      c.expect.sent.forEach((m, i) => expect(host.sent[i]).toMatchObject(m));
    }
    if (c.expect.waits !== undefined) expect(host.waits).toMatchObject(c.expect.waits);
    if (c.expect.twiml !== undefined) expect(host.voices.map((v) => v.twiml)).toEqual(c.expect.twiml);
    if (c.expect.calls !== undefined) expect(host.calls).toMatchObject(c.expect.calls);
    if (c.expect.recordings !== undefined) expect(host.recordings).toMatchObject(c.expect.recordings);
    if (c.expect.handoffs !== undefined) expect(host.handoffs).toMatchObject(c.expect.handoffs);
    if (c.expect.conversations !== undefined) {
      expect(host.conversations).toHaveLength(c.expect.conversations.length);
      c.expect.conversations.forEach((r, i) => expect(host.conversations[i]).toMatchObject(r));
    }
  });
});
