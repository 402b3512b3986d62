import { contextAt } from '../../src/engine/state';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { newSid } from '../../src/sids';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { endExecution, executionSnapshot } from '../../workflows/messages';
import { flowOf, restTrigger, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

const trigger = restTrigger({ id: 7 });

const http = (name: string, url: string, success?: string, failed?: string): FlowState => ({
  name,
  type: 'make-http-request',
  properties: { method: 'GET', url, content_type: 'application/json' },
  transitions: [success ? { event: 'success', next: success } : { event: 'success' }, failed ? { event: 'failed', next: failed } : { event: 'failed' }],
});

describe('executions on the real server: I/O widgets, subflows, ending, continue-as-new, limits', () => {
  let t: TemporalTestContext;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.url.startsWith('/order/7')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"shipped","items":[{"sku":"a"},{"sku":"b"}]}');
      if (req.url.startsWith('/boom')) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
      if (req.url.startsWith('/garbled')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"half":');
      if (req.url.startsWith('/huge')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(70 * 1024));
      if (req.url.startsWith('/slow')) return void setTimeout(() => res.writeHead(200).end('late'), 2_000);
      if (req.url.startsWith('/fn')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: new URLSearchParams(req.body).get('who') }));
      if (req.url.startsWith('/hang')) return; // never answers
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
    });
    t = await startTemporalTestContext();
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  function input(definition: FlowDefinition, extra: Partial<FlowExecutionInput> = {}): FlowExecutionInput {
    return { executionSid: newSid('FN'), flow: { sid: newSid('FW'), revision: 1, definition }, trigger, ...extra };
  }

  /** Workflow tasks that failed or timed out (an activation over the isolate timeout would). */
  async function failedTasks(handle: { fetchHistory(): Promise<{ events?: Array<{ workflowTaskFailedEventAttributes?: unknown; workflowTaskTimedOutEventAttributes?: unknown }> | null }> }) {
    const events = (await handle.fetchHistory()).events ?? [];
    return events.filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes);
  }

  function start(i: FlowExecutionInput) {
    return t.client.workflow.start(flowExecution, { args: [i], taskQueue: t.taskQueue, workflowId: `${i.flow.sid}:${i.trigger.contactAddress}` });
  }

  it('calls a real HTTP server and branches on its answer', async () => {
    const flow = flowOf(
      triggerState({ incomingRequest: 'lookup' }),
      http('lookup', `${server.url}/order/{{flow.data.id}}`, 'found', 'missing'),
      setVariablesState('found', [{ key: 'status', value: '{{widgets.lookup.parsed.status}}' }, { key: 'first', value: '{{widgets.lookup.parsed.items[0].sku}}' }]),
      http('missing', `${server.url}/nope`, undefined, 'report'),
      setVariablesState('report', [{ key: 'status', value: '{{widgets.missing.status_code}}' }]),
    );
    const result = await (await start(input(flow))).result();
    expect(result.failure).toBeUndefined();
    expect(result.context).toMatchObject({ flow: { variables: { status: 'shipped', first: 'a' } }, widgets: { lookup: { status_code: 200 } } });

    const broken = flowOf(triggerState({ incomingRequest: 'missing' }), http('missing', `${server.url}/nope`, undefined, 'report'), setVariablesState('report', [{ key: 'status', value: '{{widgets.missing.status_code}}' }]));
    const failed = await (await start(input(broken))).result();
    expect(failed.context).toMatchObject({ flow: { variables: { status: 404 } }, widgets: { missing: { status_code: 404, body: 'no such thing' } } });
  });

  it.each([
    ['a 5xx', '/boom', 'failed', 'http:status'],
    ['invalid JSON', '/garbled', 'failed', 'http:invalid-json'],
    ['an oversize body', '/huge', 'failed', 'http:too-large'],
    ['a timeout', '/slow', 'failed', 'http:timeout'],
  ])('takes the failed path on %s from a real server', async (_case, path, event, code) => {
    const flow = flowOf(triggerState({ incomingRequest: 'h' }), http('h', `${server.url}${path}`));
    const result = await (await start(input(flow, { limits: { httpTimeoutMs: 1_000 } }))).result();
    expect(result.state.steps[1]).toMatchObject({ name: event, error: { code } });
  });

  it('runs a function (a signed form POST) and publishes its JSON', async () => {
    const flow = flowOf(triggerState({ incomingRequest: 'f' }), {
      name: 'f',
      type: 'run-function',
      properties: { url: `${server.url}/fn`, parameters: [{ key: 'who', value: '{{contact.channel.address}}' }] },
      transitions: [{ event: 'success' }, { event: 'fail' }],
    });
    const result = await (await start(input(flow))).result();
    expect(result.context).toMatchObject({ widgets: { f: { status_code: 200, parsed: { echoed: '+14155551234' } } } });
    expect(server.requests.find((r) => r.url === '/fn')?.headers['x-twilio-signature']).toBeTruthy();
  });

  it('runs a subflow from the store: parameters in, variables out, its steps kept with the parent step', async () => {
    const child = flowOf(
      triggerState({ incomingParent: 'answer' }),
      setVariablesState('answer', [
        { key: 'echo', value: '{{trigger.parent.parameters.question | upcase}}' },
        { key: 'from', value: '{{trigger.parent.trigger_type}}' },
      ]),
    );
    const childSid = newSid('FW');
    await t.store.create(childSid, `AC${'a'.repeat(32)}`, {
      friendlyName: 'child',
      status: 'published',
      definition: JSON.stringify(child),
      commitMessage: null,
      valid: true,
      errors: [],
      warnings: [],
      at: new Date().toISOString(),
    });
    const parent = flowOf(
      triggerState({ incomingRequest: 'sub' }),
      {
        name: 'sub',
        type: 'run-subflow',
        properties: { flow_sid: childSid, flow_revision: 'LatestPublished', parameters: [{ key: 'question', value: 'order {{flow.data.id}}' }] },
        transitions: [{ event: 'completed', next: 'after' }, { event: 'failed' }],
      },
      setVariablesState('after', [{ key: 'got', value: '{{widgets.sub.echo}}' }]),
    );
    const handle = await start(input(parent));
    const result = await handle.result();
    expect(result.failure).toBeUndefined();
    expect(result.context).toMatchObject({ widgets: { sub: { echo: 'ORDER 7', from: 'incomingRequest' } }, flow: { variables: { got: 'ORDER 7' } } });
    const subStep = result.state.steps.find((s) => s.transitioned_from === 'sub')!;
    expect(subStep).toMatchObject({ name: 'completed', subflow: { flowSid: childSid, revision: 1 } });
    expect(subStep.subflow!.steps.map((s) => s.transitioned_from)).toEqual(['Trigger', 'answer']);
    expect(contextAt(subStep.subflow!.initial, subStep.subflow!.steps, 0)).toMatchObject({
      trigger: { parent: { parameters: { question: 'order 7' }, step_sid: subStep.sid, execution_sid: result.executionSid, trigger_type: 'incomingRequest' } },
    });

    const missing = flowOf(triggerState({ incomingRequest: 'sub' }), { name: 'sub', type: 'run-subflow', properties: { flow_sid: newSid('FW'), flow_revision: 'LatestPublished' }, transitions: [{ event: 'completed' }, { event: 'failed', next: 'oops' }] }, setVariablesState('oops', [{ key: 'failed', value: 'yes' }]));
    const failed = await (await start(input(missing))).result();
    expect(failed.context).toMatchObject({ flow: { variables: { failed: 'yes' } } });
    expect(failed.state.steps[1]).toMatchObject({ name: 'failed', error: { code: 'subflow:not-found' } });
  });

  it('ends on request while waiting on a call that never answers', async () => {
    const flow = flowOf(triggerState({ incomingRequest: 'hang' }), http('hang', `${server.url}/hang`, 'never', 'never'), setVariablesState('never', []));
    const handle = await start(input(flow));
    for (let i = 0; i < 50 && server.requests.filter((r) => r.url === '/hang').length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await handle.signal(endExecution);
    const result = await handle.result();
    // It did not wait for the call's time limit: the request was cancelled, never timed out.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((e) => e.activityTaskCancelRequestedEventAttributes)).toBe(true);
    expect(events.some((e) => e.activityTaskTimedOutEventAttributes)).toBe(false);
    expect(result.failure).toEqual({ code: 'execution:ended', message: 'Ended on request (Status=ended)' });
    expect((await handle.query(executionSnapshot)).status).toBe('ended');
  });

  it('continues as new at widget boundaries, keeping the execution SID and every step', async () => {
    const loop = flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'n', value: '{{flow.variables.n | plus: 1}}' }], 'b'), setVariablesState('b', [], 'a'));
    const i = input(loop, { continueAsNewAfterSteps: 7, limits: { maxSteps: 40 } });
    const handle = await start(i);
    const result = await handle.result();
    expect(result.executionSid).toBe(i.executionSid);
    expect(result.stepCount).toBe(40);
    expect(result.failure).toMatchObject({ code: 'limit:steps' });
    expect(result.context).toMatchObject({ flow: { variables: { n: 20 } } });
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    // 40 steps, a pause every 7: the run that ended is the sixth of the chain.
    const history = await handle.fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
  });

  it.each([
    ['doubling text', '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign s = s | append: s %}{% endfor %}{% endfor %}{{ s | size }}'],
    ['doubling capture', '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% for j in (1..15) %}{% capture s %}{{s}}{{s}}{% endcapture %}{% endfor %}{% endfor %}'],
    ['a huge range', '{{ (1..99999999) | append: "x" }}'],
    ['loops six deep', `${'{% for i in (1..15) %}'.repeat(6)}${'{% endfor %}'.repeat(6)}`],
  ])('ends a Liquid bomb (%s) with template:limit, never a failed workflow task', async (_name, bomb) => {
    const handle = await start(input(flowOf(triggerState({ incomingRequest: 'b' }), setVariablesState('b', [{ key: 'x', value: bomb }]))));
    expect((await handle.result()).failure).toMatchObject({ code: 'template:limit', twilioCode: 84003, widget: 'b' });
    expect(await failedTasks(handle)).toEqual([]);
  });

  it('splits on regex in the workflow sandbox: RE2 loaded on first use, Java inline flags, a hostile input answered at once', async () => {
    const split = (name: string, pattern: string, yes: string, no: string): FlowState => ({
      name,
      type: 'split-based-on',
      properties: { input: '{{flow.data.text}}' },
      transitions: [{ event: 'noMatch', next: no }, { event: 'match', next: yes, conditions: [{ friendly_name: 'p', arguments: ['{{flow.data.text}}'], type: 'regex', value: pattern }] }],
    });
    const flow = flowOf(
      triggerState({ incomingRequest: 'hostile' }),
      split('hostile', '(a+)+', 'matched', 'java'),
      split('java', '(?i)(.)*(y|yes)(.)*', 'yes', 'matched'),
      setVariablesState('matched', [{ key: 'path', value: 'wrong' }]),
      setVariablesState('yes', [{ key: 'path', value: 'java flags' }]),
    );
    const handle = await start(input(flow, { trigger: { ...trigger, flowData: { text: `${'a'.repeat(3_000)}! YES` } } }));
    const result = await handle.result();
    expect(result.failure).toBeUndefined();
    expect(result.context).toMatchObject({ flow: { variables: { path: 'java flags' } } });
    expect(await failedTasks(handle)).toEqual([]);
  });

  it('ends a loop of heavy templates without a wait between them (work limit between waits), and the worker keeps serving', async () => {
    const heavy = `${'{% for i in (1..15) %}'.repeat(4)}${'{% endfor %}'.repeat(4)}`;
    const loop = flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'x', value: heavy }], 'b'), setVariablesState('b', [{ key: 'y', value: heavy }], 'a'));
    const handle = await start(input(loop));
    const result = await handle.result();
    expect(result.failure).toMatchObject({ code: 'template:limit', message: expect.stringContaining('since the execution last waited') });
    expect(result.stepCount).toBeGreaterThanOrEqual(3);
    expect(await failedTasks(handle)).toEqual([]);
    const next = await (await start(input(flowOf(triggerState({ incomingRequest: 'ok' }), setVariablesState('ok', [{ key: 'y', value: 'fine' }]))))).result();
    expect(next.context).toMatchObject({ flow: { variables: { y: 'fine' } } });
  });
});
