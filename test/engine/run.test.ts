import type { ExecutionTrigger } from '../../src/engine/context';
import { resolveLimits } from '../../src/engine/limits';
import { runExecution } from '../../src/engine/run';
import { contextAt, newExecutionState } from '../../src/engine/state';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { validateFlow } from '../../src/flow/validate';
import { WIDGETS } from '../../src/widgets';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { scriptedHost } from '../helpers/host';

const messageTrigger: ExecutionTrigger = {
  event: 'incomingMessage',
  data: { MessageSid: 'SM1', From: '+14155551234', To: '+15005550006', Body: ' Hello ' },
  contactAddress: '+14155551234',
  channelAddress: '+15005550006',
};

async function run(definition: FlowDefinition, trigger = messageTrigger, limits = {}) {
  const host = scriptedHost();
  const state = newExecutionState('FW1', 'FN1', definition.initial_state, trigger);
  await runExecution(definition, state, host, { widgets: WIDGETS, limits: resolveLimits(limits) });
  return state;
}

describe('runExecution', () => {
  it('builds the context Studio builds for an incoming message', async () => {
    const state = await run(flowOf(triggerState({})));
    expect(state.context).toEqual({
      flow: { flow_sid: 'FW1', sid: 'FN1', channel: { address: '+15005550006' }, variables: {} },
      trigger: { message: messageTrigger.data },
      contact: { channel: { address: '+14155551234' } },
      widgets: {},
    });
    expect(state.status).toBe('ended');
    expect(state.steps).toEqual([
      {
        sid: 'FT00000000000000000000000000000001',
        name: 'incomingMessage',
        transitioned_from: 'Trigger',
        transitioned_to: 'Ended',
        type: 'trigger',
        changes: {},
        date_created: '2026-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('follows the transition of the emitted event and publishes Set Variables output', async () => {
    const state = await run(
      flowOf(
        triggerState({ incomingMessage: 'a' }),
        setVariablesState('a', [{ key: 'said', value: '{{trigger.message.Body | strip | upcase}}' }], 'b'),
        setVariablesState('b', [{ key: 'echo', value: '{{flow.variables.said}}!' }]),
      ),
    );
    expect(state.context.flow.variables).toEqual({ said: 'HELLO', echo: 'HELLO!' });
    expect(state.context.widgets).toEqual({ a: { said: 'HELLO' }, b: { echo: 'HELLO!' } });
    expect(state.steps.map((s) => `${s.transitioned_from}-${s.name}->${s.transitioned_to}`)).toEqual([
      'Trigger-incomingMessage->a',
      'a-next->b',
      'b-next->Ended',
    ]);
    // Each step's context is the initial context with the changes up to that step.
    expect(contextAt(state.initial, state.steps, 1)).toMatchObject({ flow: { variables: { said: 'HELLO' } } });
    expect(contextAt(state.initial, state.steps, 1).flow.variables).not.toHaveProperty('echo');
    expect(contextAt(state.initial, state.steps, 2)).toEqual(state.context);
  });

  it('treats an empty next as the end of the execution', async () => {
    const definition = flowOf(triggerState({}));
    definition.states[0]!.transitions = [{ event: 'incomingMessage', next: '' }];
    const state = await run(definition);
    expect(state.steps.map((s) => s.transitioned_to)).toEqual(['Ended']);
    expect(state.failure).toBeUndefined();
  });

  it('ends with a reason when the execution reaches the step limit', async () => {
    const state = await run(
      flowOf(
        triggerState({ incomingMessage: 'a' }),
        setVariablesState('a', [{ key: 'x', value: '1' }], 'b'),
        setVariablesState('b', [{ key: 'x', value: '2' }], 'a'),
      ),
      messageTrigger,
      { maxSteps: 25 },
    );
    expect(state.steps).toHaveLength(25);
    expect(state.failure).toEqual({ code: 'limit:steps', message: 'Execution reached the limit of 25 steps', twilioCode: 84000, widget: 'a' });
  });

  it('ends with a reason when a widget has invalid properties', async () => {
    const definition = flowOf(triggerState({ incomingMessage: 'a' }), {
      name: 'a',
      type: 'set-variables',
      properties: { variables: [{ value: 'no key' }] },
      transitions: [{ event: 'next' }],
    });
    const state = await run(definition);
    expect(state.failure).toMatchObject({ code: 'widget:invalid-properties', widget: 'a' });
    expect(state.failure?.message).toMatch(/variables\.0\.key/);
  });

  it('ends with a reason when a transition points at a missing widget', async () => {
    const state = await run(flowOf(triggerState({ incomingMessage: 'ghost' })));
    expect(state.failure).toEqual({ code: 'flow:unknown-state', message: 'The flow has no widget named "ghost"' });
  });

  it('is deterministic: the same input gives the same state', async () => {
    const definition = flowOf(triggerState({ incomingMessage: 'a' }), setVariablesState('a', [{ key: 'k', value: '{{ "now" | date: "%Y" }}' }]));
    expect(await run(definition)).toEqual(await run(definition));
  });

  // Studio's Liquid dates are Pacific time (https://support.twilio.com/hc/en-us/articles/4413699936411),
  // read from the host's clock (workflow time), never the machine's.
  it("renders 'now' from the host's clock in Pacific time; executions recorded before render UTC", async () => {
    const definition = flowOf(triggerState({ incomingMessage: 'a' }), setVariablesState('a', [{ key: 'at', value: '{{ "now" | date: "%Y-%m-%d %H:%M" }}' }]));
    const at = async (recordedBefore: boolean) => {
      const asked: string[] = [];
      const host = {
        ...scriptedHost({}),
        now: () => new Date('2026-07-04T19:00:00Z'),
        applies: (change: string) => (asked.push(change), !(recordedBefore && change === 'liquid-studio-semantics')),
      };
      const state = newExecutionState('FW1', 'FN1', definition.initial_state, messageTrigger);
      await runExecution(definition, state, host, { widgets: WIDGETS, limits: resolveLimits({}) });
      return { at: state.context.flow.variables.at, asked };
    };
    expect(await at(false)).toEqual({ at: '2026-07-04 12:00', asked: expect.arrayContaining(['liquid-studio-semantics']) });
    jest.useFakeTimers({ now: Date.parse('2026-07-04T19:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      expect((await at(true)).at).toBe('2026-07-04 19:00');
    } finally {
      jest.useRealTimers();
    }
  });

  // Studio's classic counter loop: Set Variables values are numeric unless quoted, and a value
  // Liquid renders to a number stays one (https://support.twilio.com/hc/en-us/articles/4413699936411).
  it('runs the counter loop: count = {{flow.variables.count | plus: 1}} until a split sees count == 3', async () => {
    const check: FlowState = {
      name: 'check',
      type: 'split-based-on',
      properties: { input: '{{flow.variables.count}}' },
      transitions: [
        { event: 'noMatch', next: 'inc' },
        { event: 'match', next: 'done', conditions: [{ friendly_name: 'three', arguments: ['{{flow.variables.count}}'], type: 'equal_to', value: '3' }] },
      ],
    };
    const state = await run(
      flowOf(
        triggerState({ incomingMessage: 'inc' }),
        setVariablesState('inc', [{ key: 'count', value: '{{flow.variables.count | plus: 1}}' }], 'check'),
        check,
        setVariablesState('done', [{ key: 'liquid', value: '{% if flow.variables.count == 3 %}three{% else %}not three{% endif %}' }]),
      ),
    );
    expect(state.failure).toBeUndefined();
    expect(state.context.flow.variables).toEqual({ count: 3, liquid: 'three' });
    expect(state.steps.filter((s) => s.transitioned_from === 'inc')).toHaveLength(3);
    expect(state.steps.map((s) => `${s.transitioned_from}-${s.name}->${s.transitioned_to}`).slice(-2)).toEqual(['check-match->done', 'done-next->Ended']);
  });

  it('bounds Liquid work between two waits: a wait in the path starts the count again', async () => {
    const heavy = '{{ (1..5000) | join: "," | size }}';
    const limits = { liquidWorkPerTemplate: 800_000, liquidWorkBetweenWaits: 1_000_000 };
    const send: FlowState = { name: 's', type: 'send-message', properties: { body: 'hi' }, transitions: [{ event: 'sent', next: 'b' }, { event: 'failed' }] };
    const host = scriptedHost({ send: () => Promise.resolve({ ok: true, message: { Sid: 'SM1' } }) });
    const withWait = flowOf(triggerState({ incomingMessage: 'a' }), setVariablesState('a', [{ key: 'x', value: heavy }], 's'), send, setVariablesState('b', [{ key: 'y', value: heavy }]));
    const waited = newExecutionState('FW1', 'FN1', withWait.initial_state, messageTrigger);
    await runExecution(withWait, waited, host, { widgets: WIDGETS, limits: resolveLimits(limits) });
    expect(waited.failure).toBeUndefined();
    expect(waited.context.flow.variables).toEqual({ x: 23892, y: 23892 });

    const noWait = await run(flowOf(triggerState({ incomingMessage: 'a' }), setVariablesState('a', [{ key: 'x', value: heavy }], 'b'), setVariablesState('b', [{ key: 'y', value: heavy }])), messageTrigger, limits);
    expect(noWait.failure).toMatchObject({ code: 'template:limit', twilioCode: 84003, widget: 'b', message: expect.stringContaining('since the execution last waited') });
  });

  it('publishes a Run Function whose parameter never closes its {{, and fails it with 84003 when it runs, calling nothing', async () => {
    // 004-apaleo-hotel-bot's cancel_reservation (HlsRobot/twilio-apaleo studio_flow.json): Studio
    // saved and exported it; Ruby Liquid cannot parse the parameter ("Variable '{{' was not properly
    // terminated"), so the widget cannot render it, and its text is never sent as literal text.
    const cancel: FlowState = {
      name: 'cancel_reservation',
      type: 'run-function',
      properties: {
        service_sid: 'ZS00000000000000000000000000000001',
        function_sid: 'ZH00000000000000000000000000000001',
        url: 'https://apaleo-1234.twil.io/apaleo_cancel_reservation',
        parameters: [
          { value: '{{flow.variables.reservation_id', key: 'reservation_id' },
          { value: '{{widgets.get_apaleo_token.body}}', key: 'apaleo_token' },
        ],
      },
      transitions: [{ event: 'success', next: 'done' }, { event: 'fail', next: 'done' }],
    };
    const flow = flowOf(triggerState({ incomingMessage: 'ids' }), setVariablesState('ids', [{ key: 'reservation_id', value: 'R1' }], 'cancel_reservation'), cancel, setVariablesState('done', []));
    const validation = validateFlow(flow);
    expect(validation.valid).toBe(true);
    expect(validation.warnings).toEqual([expect.objectContaining({ property_path: '#/states/2/properties/parameters/0/value', code: 'liquid:unclosed-output' })]);

    const host = scriptedHost({ http: () => ({ ok: true, status: 200, contentType: 'application/json', body: '{}' }) });
    const state = newExecutionState('FW1', 'FN1', flow.initial_state, messageTrigger);
    await runExecution(flow, state, host, { widgets: WIDGETS, limits: resolveLimits({}) });
    expect(state.failure).toMatchObject({ code: 'template:render', twilioCode: 84003, widget: 'cancel_reservation', message: expect.stringContaining('"{{flow.variables.reservation_id" not closed') });
    expect(host.http).toEqual([]);
    expect(state.steps.map((s) => s.transitioned_from)).not.toContain('cancel_reservation');
  });
});
