import type { FlowDefinition } from '../../../src/flow/definition';

/**
 * The Liquid variables a widget can read, for the suggestions of Liquid fields: the flow and
 * contact globals, the trigger subtrees, `flow.variables.<key>` of every Set Variables widget,
 * and what every other widget publishes under `widgets.<name>.*` (the Studio widget reference, §2 and §3).
 * Pure, like `fields.ts`.
 */

const MESSAGE_RESOURCE = ['Sid', 'Status', 'Body', 'From', 'To', 'Direction', 'NumMedia', 'NumSegments', 'ErrorCode', 'ErrorMessage', 'MessagingServiceSid', 'AccountSid'];
const INBOUND_MESSAGE = ['Body', 'From', 'To', 'MessageSid', 'NumMedia', 'MediaUrl0', 'AccountSid', 'MessagingServiceSid'];
const CALL_PARAMS = ['CallSid', 'CallStatus', 'From', 'To'];
const QUEUE_RESULT = ['QueueResult', 'QueueSid', 'QueueTime'];
const VIRTUAL_AGENT = ['VirtualAgentProvider', 'VirtualAgentStatus', 'VirtualAgentProviderData', 'VirtualAgentError', 'VirtualAgentErrorCode'];

/** What each widget type publishes under `widgets.<name>.`; types missing here publish nothing. */
export const WIDGET_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  // `message.*`: the Studio user guide's names for the same resource.
  'send-message': [...MESSAGE_RESOURCE.map((k) => `outbound.${k}`), ...MESSAGE_RESOURCE.map((k) => `message.${k}`)],
  'send-and-wait-for-reply': [...INBOUND_MESSAGE.map((k) => `inbound.${k}`), ...MESSAGE_RESOURCE.map((k) => `outbound.${k}`)],
  'make-http-request': ['status_code', 'body', 'parsed', 'content_type'],
  'run-function': ['body', 'parsed', 'status_code', 'content_type', 'headers'],
  'gather-input-on-call': ['Digits', 'SpeechResult', 'Confidence', 'FinishedOnKey', ...CALL_PARAMS],
  'connect-call-to': ['DialCallStatus', 'DialCallSid', 'DialCallDuration', 'RecordingUrl', ...CALL_PARAMS],
  'make-outgoing-call-v2': ['CallSid', 'CallStatus', 'AnsweredBy', 'MachineDetectionDuration', 'Direction'],
  'make-outgoing-call-v1': ['CallSid', 'CallStatus', 'AnsweredBy', 'MachineDetectionDuration', 'Direction'],
  'record-voicemail': ['RecordingUrl', 'RecordingDuration', 'RecordingSid', 'Digits', 'CallStatus'],
  'record-call': ['Sid', 'CallSid', 'Status', 'Uri', 'Duration'],
  'enqueue-call': [...QUEUE_RESULT, ...CALL_PARAMS],
  'send-to-flex': QUEUE_RESULT,
  'capture-payments': ['Result', 'PaymentToken', 'PaymentConfirmationCode', 'ProfileId', 'PaymentCardNumber', 'PaymentCardType', 'ExpirationDate', 'PaymentCardPostalCode', 'SecurityCode'],
  'connect-virtual-agent': VIRTUAL_AGENT,
  'connect-virtual-agent-v2': VIRTUAL_AGENT,
  'start-conversation': ['conversation', 'webhook_sid'],
  'resume-conversation': ['conversation', 'webhook_sid'],
  'run-conversation-relay': ['HandoffData', 'SessionId', 'SessionStatus', 'SessionDuration'],
};

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

/** The keys a Set Variables widget sets (`variables: [{key, value}]`). */
function variableKeys(properties: Readonly<Record<string, unknown>>): string[] {
  const variables = properties.variables;
  if (!Array.isArray(variables)) return [];
  return (variables as unknown[]).flatMap((v) => {
    const key = typeof v === 'object' && v !== null ? (v as { key?: unknown }).key : undefined;
    return typeof key === 'string' && key.trim() !== '' ? [key.trim()] : [];
  });
}

/** Every variable path `widget` may read in `definition`, without braces, sorted by namespace. */
export function suggestionsFor(definition: FlowDefinition, widget: string | undefined): string[] {
  const paths = new Set<string>([...GLOBALS]);
  for (const state of definition.states) if (state.type === 'set-variables') for (const key of variableKeys(state.properties)) paths.add(`flow.variables.${key}`);
  for (const path of TRIGGER) paths.add(path);
  for (const state of definition.states) {
    // A widget's own outputs do not exist yet while it runs.
    if (state.name === widget) continue;
    for (const output of WIDGET_OUTPUTS[state.type] ?? []) paths.add(`widgets.${state.name}.${output}`);
    // Set Variables also writes its pairs under its own name [TW-AI, studio-spec §2.3].
    if (state.type === 'set-variables') for (const key of variableKeys(state.properties)) paths.add(`widgets.${state.name}.${key}`);
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
