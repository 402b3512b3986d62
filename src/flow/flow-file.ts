/**
 * A flow as a file in a git repository (`open-studio flows pull/push`): one JSON document per
 * flow with a fixed key order, so that the same flow always prints the same bytes and a change
 * shows in `git diff` as only the lines it touched. The SID inside ties the file to its flow
 * across renames; `revision` is the one it was pulled at (push refuses to overwrite a newer one).
 */
export interface FlowFile {
  readonly sid: string;
  readonly friendly_name: string;
  readonly status: string;
  readonly revision: number;
  readonly test_users: readonly string[];
  readonly definition: unknown;
}

/** Keys that come first, in this order, in objects of each kind; the others follow, sorted. */
const FILE_KEYS = ['sid', 'friendly_name', 'status', 'revision', 'test_users', 'definition'];
const DEFINITION_KEYS = ['description', 'states', 'initial_state', 'flags'];
const STATE_KEYS = ['name', 'type', 'transitions', 'properties'];
const TRANSITION_KEYS = ['event', 'next', 'conditions'];

export function formatFlowFile(file: FlowFile): string {
  return `${JSON.stringify(ordered({ ...file }, FILE_KEYS, (key, value) => (key === 'definition' ? orderedDefinition(value) : canonical(value))), null, 2)}\n`;
}

function orderedDefinition(definition: unknown): unknown {
  if (!isObject(definition)) return canonical(definition);
  return ordered(definition, DEFINITION_KEYS, (key, value) => (key === 'states' && Array.isArray(value) ? value.map(orderedState) : canonical(value)));
}

function orderedState(state: unknown): unknown {
  if (!isObject(state)) return canonical(state);
  return ordered(state, STATE_KEYS, (key, value) =>
    key === 'transitions' && Array.isArray(value) ? value.map((t) => (isObject(t) ? ordered(t, TRANSITION_KEYS, (_k, v) => canonical(v)) : canonical(t))) : canonical(value),
  );
}

/** Any JSON value with every object's keys sorted (arrays keep their order: it means something). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return ordered(value, [], (_k, v) => canonical(v));
}

function ordered(object: Record<string, unknown>, first: readonly string[], inner: (key: string, value: unknown) => unknown): Record<string, unknown> {
  const keys = [...first.filter((k) => k in object), ...Object.keys(object).filter((k) => !first.includes(k)).sort()];
  const out: Record<string, unknown> = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = inner(key, object[key]);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The file name of a flow: its friendly name in lower case, words joined by `-`, `.json`
 * (`Appointment Reminder` → `appointment-reminder.json`); `flow` when nothing is left of it.
 */
export function flowFileName(friendlyName: string): string {
  const slug = friendlyName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'flow'}.json`;
}
