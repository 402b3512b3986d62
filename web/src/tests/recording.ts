import { isMap, isSeq, parseDocument } from 'yaml';

/**
 * A simulator conversation → a flow test (pure: tested under Node). What the contact did
 * becomes the test's actions, what the flow answered its expectations, in the order they came.
 */
export type RecordedItem =
  | { readonly kind: 'in'; readonly text: string }
  | { readonly kind: 'out'; readonly text: string }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'press'; readonly digits: string }
  | { readonly kind: 'hangup' };

export interface RecordedConversation {
  readonly channel: 'message' | 'voice';
  readonly contact: string;
  readonly to: string;
  readonly items: readonly RecordedItem[];
  /** How the execution stood when the conversation was saved. */
  readonly end?: { readonly ended: boolean; readonly widget?: string };
}

type Step = Record<string, unknown>;

/** The test, as the `*.flowtest.yaml` format has it; undefined when nothing started the flow. */
export function conversationTest(name: string, conversation: RecordedConversation): Record<string, unknown> | undefined {
  const { channel, contact, to, items } = conversation;
  const steps: Step[] = [];
  let trigger: Record<string, unknown> | undefined;
  let rest = items;
  if (channel === 'message') {
    const first = items.findIndex((i) => i.kind === 'in');
    if (first < 0) return undefined;
    trigger = { message: (items[first] as { text: string }).text, from: contact, to };
    rest = items.slice(first + 1);
  } else {
    trigger = { call: { from: contact, to } };
  }
  for (const item of rest) {
    if (item.kind === 'in') steps.push({ send: item.text });
    else if (item.kind === 'out') steps.push({ expect: { message: item.text } });
    else if (item.kind === 'say') steps.push({ expect: { say: item.text } });
    // No keys at a Gather (the simulator's "No input") is silence until its timeout has passed.
    else if (item.kind === 'press') steps.push(item.digits === '' ? { wait: '1m' } : { press: item.digits });
    else steps.push({ hangup: true });
  }
  const end = conversation.end;
  if (end) steps.push({ expect: end.ended ? { ended: true } : end.widget ? { widget: end.widget } : { ended: false } });
  return { name, trigger, steps };
}

/** The flow's tests with `test` added at the end (comments and the rest kept as they were). */
export function addTest(tests: string | null, test: Record<string, unknown>): string {
  const doc = parseDocument(tests && tests.trim() !== '' ? tests : 'tests: []\n');
  if (!isMap(doc.contents)) throw new Error('The flow\'s tests are not a YAML mapping: fix them in the Tests panel first');
  const list = doc.get('tests', true);
  if (isSeq(list)) {
    list.flow = false;
    list.add(doc.createNode(test));
  } else doc.set('tests', doc.createNode([test]));
  return doc.toString({ lineWidth: 0 });
}

/** A name not yet in the flow's tests: "Simulator conversation 3". */
export function freshName(tests: string | null, base = 'Simulator conversation'): string {
  const taken = new Set([...(tests ?? '').matchAll(/name:\s*["']?([^"'\n]+)["']?/g)].map((m) => m[1]!.trim()));
  for (let n = 1; ; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(name)) return name;
  }
}
