import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ExecutionTrigger } from '../../src/engine/context';
import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED } from '../../src/engine/events';
import type { FlowDefinition } from '../../src/flow/definition';
import { newSid } from '../../src/sids';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { executionSnapshot, inboundMessage, voiceTurn } from '../../workflows/messages';
import { ContactAddress, ExecutionSid, FlowSid } from '../../workflows/search-attributes';
import { flowOf, restTrigger, setVariablesState, triggerState } from '../helpers/flows';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

const zeke = restTrigger({ name: 'Zeke', n: 41 });

describe('flowExecution on a real Temporal server', () => {
  let t: TemporalTestContext;
  beforeAll(async () => {
    t = await startTemporalTestContext();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function execute(definition: FlowDefinition) {
    const flowSid = newSid('FW');
    const input: FlowExecutionInput = { executionSid: newSid('FN'), flow: { sid: flowSid, revision: 1, definition }, trigger: zeke };
    const handle = await t.client.workflow.start(flowExecution, {
      args: [input],
      taskQueue: t.taskQueue,
      workflowId: `${flowSid}:${zeke.contactAddress}`,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      typedSearchAttributes: [
        { key: FlowSid, value: flowSid },
        { key: ExecutionSid, value: input.executionSid },
        { key: ContactAddress, value: zeke.contactAddress },
      ],
    });
    return { input, handle, result: await handle.result() };
  }

  it('runs Trigger → Set Variables → end, with Liquid over the REST parameters', async () => {
    const { input, handle, result } = await execute(
      flowOf(
        triggerState({ incomingRequest: 'set_greeting' }),
        setVariablesState('set_greeting', [
          { key: 'greeting', value: 'Hello {{flow.data.name}}' },
          { key: 'answer', value: '{{trigger.request.parameters.n | plus: 1}}' },
          { key: 'missing', value: '[{{flow.variables.nope}}]' },
        ]),
      ),
    );

    expect(result.failure).toBeUndefined();
    expect(result.executionSid).toBe(input.executionSid);
    expect(result.context).toMatchObject({
      flow: { flow_sid: input.flow.sid, sid: input.executionSid, variables: { greeting: 'Hello Zeke', answer: 42, missing: '[]' } },
      contact: { channel: { address: '+14155551234' } },
      trigger: { request: { parameters: { name: 'Zeke' } } },
    });

    const snapshot = await handle.query(executionSnapshot);
    expect(snapshot.status).toBe('ended');
    expect(snapshot.steps.map((s) => [s.name, s.transitioned_from, s.transitioned_to, s.type])).toEqual([
      ['incomingRequest', 'Trigger', 'set_greeting', 'trigger'],
      ['next', 'set_greeting', 'Ended', 'set-variables'],
    ]);
    expect(snapshot.steps.every((s) => /^FT[0-9a-f]{32}$/.test(s.sid))).toBe(true);
  });

  it('is listable by its Execution SID through visibility', async () => {
    const { input } = await execute(flowOf(triggerState({})));
    const query = `ExecutionSid = '${input.executionSid}'`;
    let found: string[] = [];
    for (let attempt = 0; attempt < 50 && found.length === 0; attempt++) {
      found = [];
      for await (const execution of t.client.workflow.list({ query })) found.push(execution.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([`${input.flow.sid}:${zeke.contactAddress}`]);
  });

  it('ends the execution with a clear reason when a template does not parse', async () => {
    const { result } = await execute(
      flowOf(triggerState({ incomingRequest: 'bad' }), setVariablesState('bad', [{ key: 'x', value: '{{ unclosed' }])),
    );
    expect(result.status).toBe('ended');
    expect(result.failure).toMatchObject({ code: 'template:render', twilioCode: 84003, widget: 'bad' });
  });

  it('stops a widget that loops on itself after 10 runs in a row', async () => {
    const { result, handle } = await execute(
      flowOf(triggerState({ incomingRequest: 'again' }), setVariablesState('again', [{ key: 'x', value: '1' }], 'again')),
    );
    expect(result.failure).toMatchObject({ code: 'limit:widget-loop', twilioCode: 81001, widget: 'again' });
    const snapshot = await handle.query(executionSnapshot);
    expect(snapshot.steps.filter((s) => s.transitioned_from === 'again')).toHaveLength(10);
  });

  it('ends with a reason, not a stuck workflow, on a widget type it cannot run', async () => {
    const { result } = await execute(
      flowOf(triggerState({ incomingRequest: 'mystery' }), { name: 'mystery', type: 'no-such-widget', properties: {}, transitions: [] }),
    );
    expect(result.failure).toMatchObject({ code: 'widget:unsupported', widget: 'mystery' });
  });

  it('records no history events for pure widgets, however many run', async () => {
    const chain = (n: number) =>
      flowOf(triggerState({ incomingRequest: 'w0' }), ...Array.from({ length: n }, (_, i) => setVariablesState(`w${i}`, [{ key: `k${i}`, value: '{{flow.data.name}}' }], i + 1 < n ? `w${i + 1}` : undefined)));
    const lengths: number[] = [];
    for (const n of [1, 25]) {
      const { handle, result } = await execute(chain(n));
      expect(result.stepCount).toBe(n + 1);
      lengths.push((await handle.fetchHistory()).events?.length ?? 0);
    }
    expect(lengths[1]).toBe(lengths[0]);
    // started, one workflow task (scheduled/started/completed), two patches consulted once per
    // execution (observability, and Set Variables' value types: each a marker and the SDK's
    // TemporalChangeVersion attribute), one marker for the whole batch of events (started, every
    // step, ended), the final search attributes, completed
    expect(lengths[0]).toBe(11);
  });

  it('hands the steps before a Send & Wait over with its message: the wait records no local activity of its own', async () => {
    const flowSid = newSid('FW');
    const input: FlowExecutionInput = {
      executionSid: newSid('FN'),
      flow: { sid: flowSid, revision: 1, definition: flowOf(triggerState({ incomingRequest: 'greet' }), setVariablesState('greet', [{ key: 'who', value: '{{flow.data.name}}' }], 'ask'), {
        name: 'ask', type: 'send-and-wait-for-reply', properties: { body: 'Still there, {{flow.variables.who}}?', timeout: '3600' },
        transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
      }) },
      trigger: zeke,
    };
    const handle = await t.client.workflow.start(flowExecution, { args: [input], taskQueue: t.taskQueue, workflowId: `${flowSid}:${zeke.contactAddress}` });
    const stored = () => t.database.db.selectFrom('events').select(['sequence', 'type']).where('stream', '=', input.executionSid).orderBy('sequence').execute();
    for (let n = 0; n < 100 && (await stored()).length < 3; n++) await new Promise((r) => setTimeout(r, 100));
    // Waiting now: the execution started and its two steps (Trigger, Set Variables) are stored, by the send.
    expect((await stored()).map((e) => e.type)).toEqual([EXECUTION_STARTED, STEP_ENDED, STEP_ENDED]);
    const parked = (await handle.fetchHistory()).events ?? [];
    expect(parked.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(0);
    expect(parked.some((e) => e.timerStartedEventAttributes)).toBe(true);
    await handle.signal(inboundMessage, { kind: 'message', params: { MessageSid: `SM${'1'.repeat(32)}`, Body: 'yes', From: zeke.contactAddress }, receivedAt: new Date().toISOString() });
    await handle.result();
    // The end is stored as before: the reply's step and the execution's end, once each.
    expect((await stored()).map((e) => e.type)).toEqual([EXECUTION_STARTED, STEP_ENDED, STEP_ENDED, STEP_ENDED, EXECUTION_ENDED]);
  });

  it("answers a call's webhook in the workflow task before the one that records the events", async () => {
    // The local activity that hands events over holds its workflow task open until it is done;
    // the caller's TwiML must not wait for it: the update completes first, in its own task.
    const call: ExecutionTrigger = { event: 'incomingCall', data: { CallSid: 'CA1', From: '+14155551234', To: '+15005550006' }, contactAddress: '+14155551234', channelAddress: '+15005550006' };
    const flowSid = newSid('FW');
    const definition = flowOf(triggerState({ incomingCall: 'hello' }), { name: 'hello', type: 'say-play', properties: { say: 'Hello' }, transitions: [{ event: 'audioComplete' }] });
    const input: FlowExecutionInput = { executionSid: newSid('FN'), flow: { sid: flowSid, revision: 1, definition }, trigger: call };
    const start = new WithStartWorkflowOperation(flowExecution, { args: [input], taskQueue: t.taskQueue, workflowId: `${flowSid}:CA1`, workflowIdConflictPolicy: 'FAIL' });
    const answer = await t.client.workflow.executeUpdateWithStart(voiceTurn, { args: [{ id: 'CA1:call', kind: 'call', params: { CallSid: 'CA1' } }], updateId: 'CA1:call', startWorkflowOperation: start });
    expect(answer.twiml[0]).toMatchObject({ verb: 'Say', text: 'Hello' });
    const handle = await start.workflowHandle();
    // Say & Play waits for the caller to have heard it: its callback ends the call.
    const id = `CA1:callback:${answer.stepSid}`;
    await handle.executeUpdate(voiceTurn, { args: [{ id, kind: 'callback', stepSid: answer.stepSid, params: { CallSid: 'CA1' } }], updateId: id });
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const at = (test: (e: (typeof events)[number]) => boolean) => events.flatMap((e, i) => (test(e) ? [i] : []));
    const { EventType } = temporal.api.enums.v1;
    const answered = at((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    const recorded = at((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    const tasksCompleted = at((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    expect(answered).toHaveLength(2);
    expect(recorded.length).toBeGreaterThan(0);
    // Each answer's workflow task completed before the next events were recorded.
    for (const update of answered) {
      const nextRecord = recorded.find((i) => i > update) ?? events.length;
      expect(tasksCompleted.some((i) => i > update && i < nextRecord) || nextRecord === events.length).toBe(true);
      expect(at((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).some((i) => i < update)).toBe(true);
    }
  });

  it('refuses a second execution for the same contact while one is active', async () => {
    // Uniqueness is the workflow ID's job; a closed run frees the ID again.
    const flowSid = newSid('FW');
    const workflowId = `${flowSid}:${zeke.contactAddress}`;
    const input: FlowExecutionInput = { executionSid: newSid('FN'), flow: { sid: flowSid, revision: 1, definition: flowOf(triggerState({})) }, trigger: zeke };
    const first = await t.client.workflow.start(flowExecution, { args: [input], taskQueue: `${t.taskQueue}-idle-${randomUUID()}`, workflowId });
    await expect(
      t.client.workflow.start(flowExecution, { args: [input], taskQueue: t.taskQueue, workflowId, workflowIdConflictPolicy: 'FAIL' }),
    ).rejects.toMatchObject({ name: 'WorkflowExecutionAlreadyStartedError' });
    await first.terminate('test cleanup');
  });
});
