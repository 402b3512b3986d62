import type { FlowDefinition } from '../../src/flow/definition';
import { migrationNotes, subflowSids, withSubflowSids } from '../../src/flow/migration';
import { corpusFlows } from '../helpers/corpus';

const corpus = (prefix: string) => corpusFlows().find((f) => f.name.startsWith(prefix))!.definition as FlowDefinition;

describe('what a flow moved from Twilio does differently here', () => {
  it('names the Run Function widgets with no url (Studio finds them by SID) and the Flex handoffs', () => {
    const notes = migrationNotes(corpus('004-'));
    expect(notes.filter((n) => n.type === 'run-function').map((n) => [n.widget, n.note.split(':')[0]])).toEqual(
      ['get_apaleo_token', 'get_reservation', 'set_comment', 'cancel_reservation'].map((w) => [w, 'has no url']),
    );
    expect(notes.filter((n) => n.type === 'send-to-flex').map((n) => n.widget)).toEqual(['send_to_flex']);
    expect(notes.every((n) => /^#\/states\/\d+$/.test(n.property_path))).toBe(true);
  });

  it('has nothing to say about widgets that behave the same', () => {
    const flow = corpus('001-');
    expect(flow.states.map((s) => s.type).sort()).toEqual(expect.arrayContaining(['say-play', 'gather-input-on-call', 'make-http-request']));
    expect(migrationNotes(flow)).toEqual([]);
  });

  it("rewrites Run Subflow's SIDs to the moved flows' new ones, and leaves others alone", () => {
    const flow: FlowDefinition = {
      initial_state: 'Trigger',
      states: [
        { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'a' }], properties: {} },
        { name: 'a', type: 'run-subflow', transitions: [], properties: { flow_sid: ' FW00000000000000000000000000000001 ' } },
        { name: 'b', type: 'run-subflow', transitions: [], properties: { flow_sid: 'FW00000000000000000000000000000002' } },
      ],
    };
    expect(subflowSids(flow)).toEqual(['FW00000000000000000000000000000001', 'FW00000000000000000000000000000002']);
    const moved = withSubflowSids(flow, new Map([['FW00000000000000000000000000000001', 'FW0000000000000000000000000000000a']]));
    expect(subflowSids(moved)).toEqual(['FW0000000000000000000000000000000a', 'FW00000000000000000000000000000002']);
    expect(withSubflowSids(flow, new Map())).toBe(flow);
  });
});
