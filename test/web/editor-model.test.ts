import type { FlowDefinition } from '../../src/flow/definition';
import { validateFlow } from '../../src/flow/validate';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import { addState, blankDefinition, connect, deleteState, disconnect, duplicateState, moveStates, nameProblem, newState, renameState, setProperties } from '../../web/src/editor/definition-ops';
import { edgeId, edgesOf, issuesByWidget, nodesOf, parseEdgeId, widgetOf } from '../../web/src/editor/graph';
import { historyOf, record, redo, undo, UNDO_DEPTH } from '../../web/src/editor/history';
import { autoLayout, NODE_WIDTH, nodeHeight } from '../../web/src/editor/layout';
import { corpusFlows } from '../helpers/corpus';

/** The editor's model: pure edits of Flow JSON, its canvas view, undo/redo and auto-layout. */

const corpus = corpusFlows();

/** The properties a dropped widget cannot have a default for. */
const NEEDS_INPUT: Record<string, string[]> = {
  'make-http-request': ['url'],
  'add-twiml-redirect': ['url'],
  'run-subflow': ['flow_sid'],
  'start-conversation': ['conversation_service_sid'],
  'resume-conversation': ['conversation_service_sid'],
  'connect-virtual-agent': ['connector'],
};

function flowWith(...types: string[]): FlowDefinition {
  return types.reduce((d, type, i) => addState(d, newState(d, type, { x: 0, y: 200 * (i + 1) })), blankDefinition());
}

describe('editing Flow JSON', () => {
  it('starts blank with the Trigger and all its events unconnected, valid', () => {
    const blank = blankDefinition();
    expect(blank.states.map((s) => s.name)).toEqual(['Trigger']);
    expect(blank.states[0]!.transitions.map((t) => t.event)).toEqual([...WIDGET_SPECS.trigger!.events]);
    expect(validateFlow(blank)).toMatchObject({ valid: true, errors: [] });
  });

  it('drops every palette type with Studio-style names and one transition per (non-repeatable) event', () => {
    for (const type of Object.keys(WIDGET_SPECS).filter((t) => t !== 'trigger')) {
      const d = flowWith(type, type);
      const [first, second] = d.states.slice(1);
      expect(first!.name).toMatch(/^[a-z_0-9-]+_1$/);
      expect(second!.name).toBe(first!.name.replace(/_1$/, '_2'));
      const spec = WIDGET_SPECS[type]!;
      expect(first!.transitions.map((t) => t.event)).toEqual(spec.events.filter((e) => !spec.repeatableEvents?.includes(e)));
      // A dropped widget passes the schema stage at once, unless it needs an address only the user
      // knows; then exactly that is reported, on the widget.
      const problems = validateFlow(d).schemaErrors.map((e) => e.property_path.replace(/^#\/states\/\d+\/properties\//, ''));
      expect([...new Set(problems)].sort()).toEqual(NEEDS_INPUT[type] ?? []);
    }
  });

  it('connects, reconnects and disconnects a transition without touching the input', () => {
    const d = flowWith('send-message', 'set-variables');
    const connected = connect(d, 'Trigger', 0, 'send_message_1');
    expect(d.states[0]!.transitions[0]!.next).toBeUndefined();
    expect(connected.states[0]!.transitions[0]).toEqual({ event: 'incomingMessage', next: 'send_message_1' });
    const moved = connect(connected, 'Trigger', 0, 'set_variables_1');
    expect(moved.states[0]!.transitions[0]!.next).toBe('set_variables_1');
    expect(disconnect(moved, 'Trigger', 0).states[0]!.transitions[0]).toEqual({ event: 'incomingMessage' });
  });

  it('deletes a widget with every transition into it, never the Trigger', () => {
    const d = connect(connect(flowWith('send-message', 'split-based-on'), 'Trigger', 0, 'send_message_1'), 'split_1', 0, 'send_message_1');
    const after = deleteState(d, 'send_message_1');
    expect(after.states.map((s) => s.name)).toEqual(['Trigger', 'split_1']);
    expect(after.states.flatMap((s) => s.transitions).some((t) => 'next' in t)).toBe(false);
    expect(deleteState(d, 'Trigger')).toBe(d);
  });

  it('renames a widget and every transition that leads to it; refuses names Studio refuses', () => {
    const d = connect(flowWith('send-message'), 'Trigger', 0, 'send_message_1');
    const renamed = renameState(d, 'send_message_1', 'greeting');
    expect(renamed.states[1]!.name).toBe('greeting');
    expect(renamed.states[0]!.transitions[0]!.next).toBe('greeting');
    expect(nameProblem(d, 'send_message_1', 'has space')).toMatch(/letters, digits/);
    expect(nameProblem(d, 'send_message_1', 'Trigger')).toMatch(/exists already/);
    expect(renameState(d, 'send_message_1', 'Trigger')).toBe(d);
    const trigger = renameState(d, 'Trigger', 'Start');
    expect(trigger.initial_state).toBe('Start');
  });

  it('duplicates a widget beside the original with a fresh name, its properties and no connections', () => {
    const d = connect(setProperties(flowWith('send-message'), 'send_message_1', { body: 'Hi', offset: { x: 10, y: 20 } }), 'send_message_1', 0, 'Trigger');
    const { definition, name } = duplicateState(d, 'send_message_1');
    expect(name).toBe('send_message_2');
    const copy = definition.states.find((s) => s.name === name)!;
    expect(copy.properties).toEqual({ body: 'Hi', offset: { x: 50, y: 60 } });
    expect(copy.transitions.every((t) => t.next === undefined)).toBe(true);
    expect(duplicateState(d, 'Trigger').definition).toBe(d);
  });
});

describe('the canvas view', () => {
  it.each(corpus.map((f) => [f.name, f.definition] as const))('%s: a node per widget and an edge per connected transition', (_name, raw) => {
    const definition = raw as unknown as FlowDefinition;
    const nodes = nodesOf(definition, new Map());
    const edges = edgesOf(definition);
    expect(nodes.map((n) => n.id)).toEqual(definition.states.map((s) => s.name));
    const names = new Set(definition.states.map((s) => s.name));
    const connected = definition.states.flatMap((s) => s.transitions.map((t, i) => ({ s, t, i }))).filter(({ t }) => t.next && names.has(t.next));
    expect(edges.map((e) => e.id).sort()).toEqual(connected.map(({ s, i }) => edgeId(s.name, i)).sort());
    for (const e of edges) expect(parseEdgeId(e.id)).toEqual({ source: e.source, index: Number(e.sourceHandle) });
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it('puts each finding on the widget its pointer names', () => {
    const d = connect(flowWith('send-message'), 'Trigger', 0, 'nowhere');
    const v = validateFlow(d);
    expect(v.errors.length).toBeGreaterThan(0);
    const byWidget = issuesByWidget(d, v.errors, v.warnings);
    expect(byWidget.get('Trigger')!.errors.map((e) => e.property_path)).toContain('#/states/0/transitions/0/next');
    expect(widgetOf(d, '#/states/1/properties/body')).toBe('send_message_1');
    expect(widgetOf(d, '#/description')).toBeUndefined();
  });
});

describe('undo and redo', () => {
  it('walks back and forth through snapshots; a new edit drops the redo branch', () => {
    const a = blankDefinition();
    const b = flowWith('send-message');
    const c = flowWith('set-variables');
    let h = record(record(historyOf(a), b), c);
    h = undo(h);
    expect(h.present).toBe(b);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(b);
    h = record(h, a);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(record(h, h.present)).toBe(h);
  });

  it('makes typing in one field one step, and never merges across an undo', () => {
    let h = historyOf('');
    for (const text of ['H', 'Hi', 'Hi!']) h = record(h, text, 'send_1/properties/body');
    expect(h.past).toEqual(['']);
    h = record(h, 'Hi! x', 'send_1/properties/to');
    expect(h.past).toEqual(['', 'Hi!']);
    h = undo(h);
    expect(h.present).toBe('Hi!');
    h = record(h, 'Hi! y', 'send_1/properties/to');
    expect(h.past).toEqual(['', 'Hi!']);
    expect(undo(h).present).toBe('Hi!');
  });

  it(`keeps at most ${UNDO_DEPTH} steps`, () => {
    let h = historyOf(0);
    for (let i = 1; i <= UNDO_DEPTH + 50; i++) h = record(h, i);
    expect(h.past.length).toBe(UNDO_DEPTH);
    expect(h.past[0]).toBe(50);
  });
});

describe('auto-layout', () => {
  it.each(corpus.map((f) => [f.name, f.definition] as const))('%s: every widget placed, none overlapping', (_name, raw) => {
    const definition = raw as unknown as FlowDefinition;
    const positions = autoLayout(definition);
    expect([...positions.keys()].sort()).toEqual(definition.states.map((s) => s.name).sort());
    const boxes = definition.states.map((s) => ({ ...positions.get(s.name)!, h: nodeHeight(s.transitions.length) }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const apart = a.x + NODE_WIDTH <= b.x || b.x + NODE_WIDTH <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart).toBe(true);
      }
    }
    // One undo step moves them all.
    const moved = moveStates(definition, positions);
    expect(moved.states.every((s) => (s.properties.offset as { x: number }).x === Math.round(positions.get(s.name)!.x))).toBe(true);
  });

  it('reads top to bottom: a widget sits below the Trigger that leads to it', () => {
    const d = connect(flowWith('send-message'), 'Trigger', 0, 'send_message_1');
    const p = autoLayout(d);
    expect(p.get('send_message_1')!.y).toBeGreaterThan(p.get('Trigger')!.y);
  });
});
