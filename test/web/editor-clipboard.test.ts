import type { FlowDefinition } from '../../src/flow/definition';
import { validateFlow } from '../../src/flow/validate';
import { clipboardText, copyWidgets, parseClipboard, pasteWidgets } from '../../web/src/editor/clipboard';
import { FLOW_TEMPLATES } from '../../web/src/flows/templates';
import { blankDefinition } from '../../web/src/editor/definition-ops';

/** Copy and paste of widgets: Studio state JSON on the clipboard, connections kept only among the copied. */
const chatbot = (): FlowDefinition => FLOW_TEMPLATES.find((t) => t.id === 'sms-chatbot')!.definition();

function roundTrip(definition: FlowDefinition, names: string[], into: FlowDefinition) {
  const clip = copyWidgets(definition, names)!;
  return pasteWidgets(into, parseClipboard(clipboardText(clip))!);
}

describe('copying and pasting widgets', () => {
  it('pastes a copy into the same flow under the next free name, moved off the original, unconnected outside the copy', () => {
    const flow = chatbot();
    const { definition, names } = roundTrip(flow, ['understand_message'], flow);
    expect(names).toEqual(['understand_message_1']);
    const original = definition.states.find((s) => s.name === 'understand_message')!;
    const copy = definition.states.find((s) => s.name === 'understand_message_1')!;
    expect(copy.type).toBe('split-based-on');
    expect(copy.properties.input).toBe(original.properties.input);
    expect(copy.transitions.map((t) => t.event)).toEqual(original.transitions.map((t) => t.event));
    // Its branches led to widgets left behind: cut, conditions kept.
    expect(copy.transitions.every((t) => t.next === undefined)).toBe(true);
    expect(copy.transitions[1]!.conditions).toEqual(original.transitions[1]!.conditions);
    expect(copy.properties.offset).toEqual({ x: (original.properties.offset as { x: number }).x + 40, y: (original.properties.offset as { y: number }).y + 40 });
    // The original flow is untouched, and the result still validates.
    expect(flow.states).toHaveLength(5);
    expect(definition.states).toHaveLength(6);
    expect(validateFlow(definition).errors).toEqual([]);
  });

  it('keeps transitions among copied widgets, renamed with them; a second paste lands further on', () => {
    const flow = chatbot();
    const clip = copyWidgets(flow, ['understand_message', 'opening_hours', 'Trigger'])!;
    expect(clip.states.map((s) => s.name)).toEqual(['understand_message', 'opening_hours']);
    const once = pasteWidgets(flow, clip);
    expect(once.names).toEqual(['understand_message_1', 'opening_hours_1']);
    const split = once.definition.states.find((s) => s.name === 'understand_message_1')!;
    expect(split.transitions.map((t) => t.next)).toEqual([undefined, 'opening_hours_1', undefined]);
    const twice = pasteWidgets(once.definition, clip);
    expect(twice.names).toEqual(['understand_message_2', 'opening_hours_2']);
    const offsets = twice.definition.states.map((s) => JSON.stringify(s.properties.offset));
    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it('pastes into another flow keeping the names that are free there', () => {
    const { definition, names } = roundTrip(chatbot(), ['understand_message', 'offer_help'], blankDefinition());
    expect(names).toEqual(['understand_message', 'offer_help']);
    expect(definition.states.find((s) => s.name === 'understand_message')!.transitions[0]!.next).toBe('offer_help');
    expect(validateFlow(definition).errors).toEqual([]);
  });

  it('copies nothing when only the Trigger (or nothing) is selected', () => {
    expect(copyWidgets(chatbot(), ['Trigger'])).toBeUndefined();
    expect(copyWidgets(chatbot(), [])).toBeUndefined();
    expect(copyWidgets(chatbot(), ['no_such_widget'])).toBeUndefined();
  });

  it('reads Studio state JSON pasted from an export, one state or several', () => {
    const state = chatbot().states[2]!;
    expect(parseClipboard(JSON.stringify(state))?.states).toEqual([state]);
    expect(parseClipboard(JSON.stringify([state, chatbot().states[3]]))?.states).toHaveLength(2);
  });

  it.each([
    ['plain text', 'hello'],
    ['a number', '42'],
    ['an empty list', '[]'],
    ['a Trigger', JSON.stringify(blankDefinition().states[0])],
    ['an unknown widget type', JSON.stringify({ name: 'x', type: 'teleport', transitions: [], properties: {} })],
    ['a name Studio refuses', JSON.stringify({ name: 'a b', type: 'send-message', transitions: [], properties: {} })],
    ['transitions without events', JSON.stringify({ name: 'x', type: 'send-message', transitions: [{ next: 'y' }], properties: {} })],
    ['two widgets of one name', JSON.stringify([{ name: 'x', type: 'send-message', transitions: [], properties: {} }, { name: 'x', type: 'send-message', transitions: [], properties: {} }])],
    ['a whole flow', JSON.stringify(chatbot())],
  ])('does not take %s for widgets', (_what, text) => {
    expect(parseClipboard(text)).toBeUndefined();
  });

  it('cuts a pasted transition to a widget that is not in the paste, even if the flow has one by that name', () => {
    const flow = chatbot();
    const foreign = { name: 'asker', type: 'send-message', transitions: [{ event: 'sent', next: 'offer_help' }, { event: 'failed' }], properties: { body: 'hi', from: 'a', to: 'b' } };
    const { definition } = pasteWidgets(flow, parseClipboard(JSON.stringify(foreign))!);
    expect(definition.states.find((s) => s.name === 'asker')!.transitions[0]!.next).toBeUndefined();
  });
});
