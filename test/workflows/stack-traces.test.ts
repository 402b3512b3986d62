import { newSid } from '../../src/sids';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { flowOf, restTrigger, triggerState } from '../helpers/flows';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

// WORKER_STACK_TRACES (src/temporal/workflow-threads.ts) reaches into the SDK's workflow thread:
// these hold both settings to what they claim on the SDK this project runs.
const trigger = restTrigger();

async function parkedExecution(t: TemporalTestContext) {
  const flowSid = newSid('FW');
  const input: FlowExecutionInput = {
    executionSid: newSid('FN'),
    flow: {
      sid: flowSid,
      revision: 1,
      definition: flowOf(triggerState({ incomingRequest: 'ask' }), {
        name: 'ask', type: 'send-and-wait-for-reply', properties: { body: 'Still there?', timeout: '3600' },
        transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
      }),
    },
    trigger,
  };
  const handle = await t.client.workflow.start(flowExecution, { args: [input], taskQueue: t.taskQueue, workflowId: `${flowSid}:${trigger.contactAddress}` });
  const waiting = async () => ((await handle.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes);
  for (let n = 0; n < 100 && !(await waiting()); n++) await new Promise((r) => setTimeout(r, 100));
  return handle;
}

// Jest gives each test file its own copy of the module but one `worker_threads` per process: a
// copy loaded earlier (another file's worker) must not decide for this one (CI 46 failed so).
jest.isolateModules(() => {
  jest.requireActual<{ useWorkflowStackTraces(on: boolean): void }>('../../src/temporal/workflow-threads').useWorkflowStackTraces(false);
});

describe.each([false, true])('a worker with WORKER_STACK_TRACES=%s', (on) => {
  let t: TemporalTestContext;
  beforeAll(async () => {
    t = await startTemporalTestContext({ workflowStackTraces: on });
  });
  afterAll(async () => {
    await t?.close();
  });

  it(on ? "answers Temporal's stack-trace query with the waiting execution's frames" : "answers Temporal's stack-trace query with the SDK's 'not enabled'", async () => {
    const handle = await parkedExecution(t);
    const query = handle.query<string>('__stack_trace');
    if (on) {
      // The interpreter's frames, source-mapped: the Send & Wait widget waiting for the reply.
      await expect(query).resolves.toMatch(/waitForReply \(.*workflows\/temporal-host\.ts:\d+:\d+\)/);
    } else {
      await expect(query).rejects.toThrow('Workflow stack traces are not enabled on this worker');
    }
    await handle.terminate();
  });
});
