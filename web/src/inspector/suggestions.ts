import type { FlowDefinition } from '../../../src/flow/definition';
import { outputsOf, variableKeys } from '../../../src/flow/widget-catalog';

/**
 * The Liquid variables a widget can read, for the suggestions of Liquid fields: the flow and
 * contact globals, the trigger subtrees, `flow.variables.<key>` of every Set Variables widget,
 * and what every other widget publishes under `widgets.<name>.*` (each widget spec's `outputs`).
 * Pure, like `fields.ts`.
 */

/** The globals every widget can read, whatever started the execution. */
const GLOBALS = ['flow.flow_sid', 'flow.sid', 'flow.channel.address', 'flow.data', 'contact.channel.address'];

/** The `trigger.*` subtree of each way an execution starts (exactly one is present at run time). */
const TRIGGER = [
  ...['Body', 'From', 'To', 'MessageSid', 'AccountSid', 'MessagingServiceSid', 'NumMedia', 'FromCity', 'FromState', 'FromZip', 'FromCountry', 'ChannelAttributes'].map((k) => `trigger.message.${k}`),
  ...['CallSid', 'From', 'To', 'Caller', 'Called', 'CallStatus', 'Direction', 'AccountSid', 'FromCity', 'FromState', 'FromZip', 'FromCountry'].map((k) => `trigger.call.${k}`),
  ...['ConversationSid', 'MessageSid', 'Author', 'ParticipantSid', 'From', 'Body', 'AccountSid'].map((k) => `trigger.conversation.${k}`),
  ...['from', 'to', 'parameters'].map((k) => `trigger.request.${k}`),
  ...['parameters', 'step_sid', 'execution_sid', 'flow_sid', 'trigger_type'].map((k) => `trigger.parent.${k}`),
];

/** Every variable path `widget` may read in `definition`, without braces, sorted by namespace. */
export function suggestionsFor(definition: FlowDefinition, widget: string | undefined): string[] {
  const paths = new Set<string>([...GLOBALS]);
  for (const state of definition.states) if (state.type === 'set-variables') for (const key of variableKeys(state.properties)) paths.add(`flow.variables.${key}`);
  for (const path of TRIGGER) paths.add(path);
  for (const state of definition.states) {
    // A widget's own outputs do not exist yet while it runs.
    if (state.name === widget) continue;
    // Its spec's outputs; Set Variables also writes its pairs under its own name [TW-AI, studio-spec §2.3].
    for (const output of outputsOf(state)) paths.add(`widgets.${state.name}.${output}`);
  }
  return [...paths];
}

/** The open `{{ …` the caret is in: where it starts and what was typed after it. */
export interface LiquidQuery {
  /** Index of the `{{`. */
  readonly start: number;
  /** The text between `{{` and the caret, trimmed. */
  readonly query: string;
}

/** The unclosed `{{` before `caret`, if the caret is inside an output tag being typed. */
export function liquidQueryAt(text: string, caret: number): LiquidQuery | undefined {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('{{');
  if (start < 0 || before.indexOf('}}', start) >= 0) return undefined;
  const query = before.slice(start + 2).trim();
  // Past a filter or a space the user is writing an expression, not a variable name.
  if (/[\s|]/.test(query)) return undefined;
  return { start, query };
}

/** The suggestions matching `query`: those starting with it first, then those containing it. */
export function filterSuggestions(all: readonly string[], query: string, limit = 50): string[] {
  const q = query.toLowerCase();
  const starts = all.filter((p) => p.toLowerCase().startsWith(q));
  const contains = all.filter((p) => !p.toLowerCase().startsWith(q) && p.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** `text` with the open tag at `query.start` replaced by `{{path}}`, and the caret after it. */
export function insertSuggestion(text: string, caret: number, query: LiquidQuery, path: string): { text: string; caret: number } {
  const closing = /^\s*\}\}/.exec(text.slice(caret));
  const end = caret + (closing ? closing[0].length : 0);
  const tag = `{{${path}}}`;
  return { text: text.slice(0, query.start) + tag + text.slice(end), caret: query.start + tag.length };
}
