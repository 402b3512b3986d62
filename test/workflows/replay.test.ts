import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { ExecutionTrigger } from '../../src/engine/context';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { newSid } from '../../src/sids';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { endExecution, executionSnapshot, inboundMessage, migrateExecution, voiceTurn } from '../../workflows/messages';
import { flowOf, restTrigger, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startTemporalTestContext, workflowBundle, TEST_ACCOUNT, type TemporalTestContext } from '../helpers/temporal';

/**
 * Replay: histories recorded from real executions must replay without a determinism error on
 * the current interpreter. An interpreter change that alters the commands of a recorded run
 * fails here until it is guarded with `patched()`. `RECORD_HISTORIES=1` records them afresh (`RECORD_HISTORIES=name,…` only those)
 * (review the diff: a changed history means changed behaviour).
 */
const DIR = path.join(__dirname, 'histories');

const trigger = restTrigger({ id: 7 });

const http = (name: string, url: string, next?: string): FlowState => ({
  name,
  type: 'make-http-request',
  properties: { method: 'GET', url, content_type: 'application/json' },
  transitions: [next ? { event: 'success', next } : { event: 'success' }, next ? { event: 'failed', next } : { event: 'failed' }],
});

type Scenario = (t: TemporalTestContext, server: TestServer) => Promise<{ workflowId: string }>;

const SCENARIOS: Record<string, Scenario> = {
  'pure-widgets': async (t) => run(t, flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'x', value: '{{flow.data.id | plus: 1}}' }], 'split'), {
    name: 'split',
    type: 'split-based-on',
    properties: { input: '{{flow.variables.x}}' },
    transitions: [{ event: 'noMatch' }, { event: 'match', next: 'b', conditions: [{ friendly_name: 'eight', arguments: ['{{flow.variables.x}}'], type: 'equal_to', value: '8' }] }],
  }, setVariablesState('b', [{ key: 'y', value: 'matched' }]))),
  'http-request': async (t, server) => run(t, flowOf(triggerState({ incomingRequest: 'h' }), http('h', `${server.url}/order/{{flow.data.id}}`, 'done'), setVariablesState('done', [{ key: 's', value: '{{widgets.h.status_code}}' }]))),
  'subflow': async (t) => {
    const child = newSid('FW');
    await t.store.create(child, TEST_ACCOUNT.accountSid, {
      friendlyName: 'child', status: 'published', commitMessage: null, valid: true, errors: [], warnings: [], at: new Date().toISOString(),
      definition: JSON.stringify(flowOf(triggerState({ incomingParent: 'r' }), setVariablesState('r', [{ key: 'out', value: '{{trigger.parent.parameters.p}}!' }]))),
    });
    return run(t, flowOf(triggerState({ incomingRequest: 's' }), { name: 's', type: 'run-subflow', properties: { flow_sid: child, flow_revision: 'LatestPublished', parameters: [{ key: 'p', value: 'hi' }] }, transitions: [{ event: 'completed' }, { event: 'failed' }] }));
  },
  'subflow-voice': async (t) => {
    const child = newSid('FW');
    const say = (name: string, text: string): FlowState => ({ name, type: 'say-play', properties: { say: text }, transitions: [{ event: 'audioComplete' }] });
    await t.store.create(child, TEST_ACCOUNT.accountSid, {
      friendlyName: 'child', status: 'published', commitMessage: null, valid: true, errors: [], warnings: [], at: new Date().toISOString(),
      definition: JSON.stringify(flowOf(triggerState({ incomingParent: 'hi' }), say('hi', 'In the subflow'))),
    });
    const call: ExecutionTrigger = { event: 'incomingCall', data: { CallSid: 'CA1', From: '+14155551234', To: '+15005550006' }, contactAddress: '+14155551234', channelAddress: '+15005550006' };
    const i = input(flowOf(triggerState({ incomingCall: 's' }), { name: 's', type: 'run-subflow', properties: { flow_sid: child, flow_revision: 'LatestPublished' }, transitions: [{ event: 'completed', next: 'bye' }, { event: 'failed' }] }, say('bye', 'Back')), { trigger: call });
    const handle = await t.client.workflow.start(flowExecution, { args: [i], taskQueue: t.taskQueue, workflowId: `${i.flow.sid}:CA1` });
    // The caller follows each answer's callback until the call is hung up (before subflows spoke on the call: at once).
    let answer = await handle.executeUpdate(voiceTurn, { args: [{ id: 'CA1:call', kind: 'call', params: { CallSid: 'CA1' } }], updateId: 'CA1:call' });
    for (let n = 0; n < 5 && answer.stepSid !== undefined && !answer.twiml.some((node) => node.verb === 'Hangup'); n++) {
      const id = `CA1:callback:${answer.stepSid}`;
      answer = await handle.executeUpdate(voiceTurn, { args: [{ id, kind: 'callback', stepSid: answer.stepSid, params: { CallSid: 'CA1' } }], updateId: id });
    }
    await handle.result();
    return { workflowId: handle.workflowId };
  },
  // Liquid's integer divided_by (10 / 4 is 2, was 2.5) changes the branch taken, and with it the
  // commands: executions recorded before must still take the HTTP branch.
  'liquid-semantics': async (t, server) =>
    run(t, flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'x', value: '{{ 10 | divided_by: 4 }}' }], 'split'), {
      name: 'split',
      type: 'split-based-on',
      properties: { input: '{{flow.variables.x}}' },
      transitions: [{ event: 'noMatch' }, { event: 'match', next: 'h', conditions: [{ friendly_name: 'fraction', arguments: ['{{flow.variables.x}}'], type: 'equal_to', value: '2.5' }] }],
    }, http('h', `${server.url}/fraction`))),
  // Start Conversation ran no widget before (widget:unsupported); now it creates the Conversation
  // in an activity: executions recorded before must still end without one.
  'conversation-widgets': async (t) =>
    run(t, flowOf(triggerState({ incomingRequest: 'c' }), { name: 'c', type: 'start-conversation', properties: { conversation_service_sid: 'IS00000000000000000000000000000001' }, transitions: [{ event: 'created' }, { event: 'failed' }] })),
  'continue-as-new': async (t) => run(t, flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [], 'b'), setVariablesState('b', [], 'a')), { continueAsNewAfterSteps: 4, limits: { maxSteps: 12 } }),
  'send-and-wait': async (t) => {
    const i = input(flowOf(triggerState({ incomingRequest: 'ask' }), {
      name: 'ask',
      type: 'send-and-wait-for-reply',
      properties: { body: 'Your name?' },
      transitions: [{ event: 'incomingMessage', next: 'done' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
    }, setVariablesState('done', [{ key: 'name', value: '{{widgets.ask.inbound.Body}}' }])));
    const handle = await t.client.workflow.start(flowExecution, { args: [i], taskQueue: t.taskQueue, workflowId: `${i.flow.sid}:${i.trigger.contactAddress}` });
    for (let n = 0; n < 50 && (await handle.query(executionSnapshot)).steps.length < 1; n++) await new Promise((r) => setTimeout(r, 100));
    await handle.signal(inboundMessage, { kind: 'message', params: { MessageSid: 'SM1', Body: 'Ada', From: '+14155551234' }, receivedAt: '2026-01-01T00:00:00Z' });
    await handle.result();
    return { workflowId: handle.workflowId };
  },
  // Moved to revision 2 while waiting: the reply takes revision 2's transition, to a widget
  // with an activity where revision 1 has none, so a replay that missed the switch would fail.
  'migrated': async (t) => {
    const ask = (next: string): FlowState => ({ name: 'ask', type: 'send-and-wait-for-reply', properties: { body: 'Your name?' }, transitions: [{ event: 'incomingMessage', next }, { event: 'timeout' }, { event: 'deliveryFailure' }] });
    const i = input(flowOf(triggerState({ incomingRequest: 'ask' }), ask('v1'), setVariablesState('v1', [{ key: 'by', value: 'v1' }])));
    const thanks: FlowState = { name: 'v2', type: 'send-message', properties: { body: 'Thanks, {{widgets.ask.inbound.Body}}' }, transitions: [{ event: 'sent' }, { event: 'failed' }] };
    const v2 = flowOf(triggerState({ incomingRequest: 'ask' }), ask('v2'), thanks);
    const handle = await t.client.workflow.start(flowExecution, { args: [i], taskQueue: t.taskQueue, workflowId: `${i.flow.sid}:${i.trigger.contactAddress}` });
    for (let n = 0; n < 50 && !(await handle.query(executionSnapshot)).mailbox.sent?.length; n++) await new Promise((r) => setTimeout(r, 100));
    const migrationSid = newSid('FM');
    await handle.executeUpdate(migrateExecution, { args: [{ migrationSid, fromRevision: 1, widget: 'ask', to: { revision: 2, definition: v2 } }], updateId: migrationSid });
    await handle.signal(inboundMessage, { kind: 'message', params: { MessageSid: 'SM1', Body: 'Ada', From: '+14155551234' }, receivedAt: '2026-01-01T00:00:00Z' });
    const result = await handle.result();
    const path = result.state.steps.map((step) => `${step.transitioned_from}-${step.name}`).join(' ');
    if (path !== 'Trigger-incomingRequest ask-migrated ask-incomingMessage v2-sent') throw new Error(`the migrated execution did not take revision 2's transitions: ${path}`);
    return { workflowId: handle.workflowId };
  },
  'ended-on-request': async (t, server) => {
    const i = input(flowOf(triggerState({ incomingRequest: 'h' }), http('h', `${server.url}/hang`)));
    const handle = await t.client.workflow.start(flowExecution, { args: [i], taskQueue: t.taskQueue, workflowId: `${i.flow.sid}:${i.trigger.contactAddress}` });
    for (let n = 0; n < 50 && !server.requests.some((r) => r.url === '/hang'); n++) await new Promise((r) => setTimeout(r, 100));
    await handle.signal(endExecution);
    await handle.result();
    return { workflowId: handle.workflowId };
  },
};

/** A recorded history; a file that cannot be read says which it is. */
function readHistory(file: string): { workflowId: string; history: ReturnType<typeof historyFromJSON> } {
  try {
    const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as { workflowId: string; history: unknown };
    return { workflowId, history: historyFromJSON(history) };
  } catch (err) {
    throw new Error(`${file} is not a readable history: ${(err as Error).message}`);
  }
}

function input(definition: FlowDefinition, extra: Partial<FlowExecutionInput> = {}): FlowExecutionInput {
  return { executionSid: newSid('FN'), flow: { sid: newSid('FW'), revision: 1, definition }, trigger, ...extra };
}

async function run(t: TemporalTestContext, definition: FlowDefinition, extra: Partial<FlowExecutionInput> = {}) {
  const i = input(definition, extra);
  const handle = await t.client.workflow.start(flowExecution, { args: [i], taskQueue: t.taskQueue, workflowId: `${i.flow.sid}:${i.trigger.contactAddress}` });
  await handle.result();
  return { workflowId: handle.workflowId };
}

describe('replay of recorded histories', () => {
  // RECORD_HISTORIES=1 records every scenario; RECORD_HISTORIES=a,b only those.
  const recording = process.env.RECORD_HISTORIES;
  if (recording) {
    it('records a history per scenario', async () => {
      const server = await startTestServer((req, res) => {
        if (req.url.startsWith('/hang')) return;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      const t = await startTemporalTestContext();
      try {
        fs.mkdirSync(DIR, { recursive: true });
        for (const [name, scenario] of Object.entries(SCENARIOS).filter(([n]) => recording === '1' || recording.split(',').includes(n))) {
          const { workflowId } = await scenario(t, server);
          // The last run of the chain: for continue-as-new, the run that replays the carried state.
          const history = await t.client.workflow.getHandle(workflowId).fetchHistory();
          fs.writeFileSync(path.join(DIR, `${name}.json`), `${JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) as unknown }, null, 1)}\n`);
        }
      } finally {
        await t.close();
        await server.close();
      }
    }, 120_000);
  }

  it('replays every recorded history without a determinism error', async () => {
    const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];
    // Every scenario has a history; `legacy-*` files keep histories of older interpreter versions.
    const names = files.map((f) => f.replace(/\.json$/, ''));
    expect(names.filter((n) => !n.startsWith('legacy-')).sort()).toEqual(Object.keys(SCENARIOS).sort());
    const histories = files.map((file) => ({ file, ...readHistory(file) }));
    // Results name a workflow ID only: map it back to the files that hold it (one, unless copied).
    const filesOf = new Map<string, string[]>();
    for (const { file, workflowId } of histories) filesOf.set(workflowId, [...(filesOf.get(workflowId) ?? []), file]);
    const failures: string[] = [];
    let replayed = 0;
    const replays = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories.map(({ workflowId, history }) => ({ workflowId, history })));
    for await (const result of replays) {
      replayed++;
      if (result.error) failures.push(`${(filesOf.get(result.workflowId) ?? [result.workflowId]).join(', ')}: ${String(result.error)}`);
    }
    // A failure shows as the history file that failed and why, not as `false`.
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });

  it('round-trips history JSON (guards the duplicate-protobufjs bug)', () => {
    const file = fs.readdirSync(DIR).find((f) => f.endsWith('.json'))!;
    const { history } = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as { history: unknown };
    const parsed = historyFromJSON(history);
    expect(historyFromJSON(JSON.parse(historyToJSON(parsed)))).toEqual(parsed);
  });
});
