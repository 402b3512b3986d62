import { validateFlow } from '../../src/flow/validate';
import { FLOW_TEMPLATES } from '../../web/src/flows/templates';

/** The New Flow templates: Studio's names, each valid as it is and started by its channel's Trigger event. */
describe('flow templates', () => {
  it('offers the templates Studio names (Studio Flows API quickstart), besides scratch and JSON', () => {
    expect(FLOW_TEMPLATES.map((t) => t.name)).toEqual(['Appointment Reminders', 'IVR / Phone Tree', 'SMS Chatbot']);
    expect(new Set(FLOW_TEMPLATES.map((t) => t.id)).size).toBe(FLOW_TEMPLATES.length);
  });

  it.each(FLOW_TEMPLATES.map((t) => [t.name, t] as const))('%s validates with no error and no warning', (_name, template) => {
    const result = validateFlow(template.definition());
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it.each([
    ['appointment-reminders', 'incomingRequest'],
    ['ivr-phone-tree', 'incomingCall'],
    ['sms-chatbot', 'incomingMessage'],
  ])('%s starts from the Trigger event %s, and every widget is reachable', (id, event) => {
    const definition = FLOW_TEMPLATES.find((t) => t.id === id)!.definition();
    const trigger = definition.states.find((s) => s.name === definition.initial_state)!;
    const wired = trigger.transitions.filter((t) => t.next);
    expect(wired.map((t) => t.event)).toEqual([event]);
    const reached = new Set<string>([trigger.name]);
    const queue = [trigger.name];
    while (queue.length > 0) {
      const name = queue.shift()!;
      const state = definition.states.find((s) => s.name === name)!;
      for (const t of state.transitions) {
        if (!t.next || reached.has(t.next)) continue;
        reached.add(t.next);
        queue.push(t.next);
      }
    }
    expect([...reached].sort()).toEqual(definition.states.map((s) => s.name).sort());
  });

  it('gives a fresh definition each time (editing one flow never changes the template)', () => {
    const template = FLOW_TEMPLATES[0]!;
    const first = template.definition();
    first.states[1]!.name = 'changed';
    expect(template.definition().states[1]!.name).not.toBe('changed');
  });
});
