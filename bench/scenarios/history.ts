import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FlowDefinition } from '../../src/flow/definition';
import { bareCompletion, bareOneActivity } from '../baseline/workflows';
import { contact, executionResult, publish, pureLogicFlow, startExecution } from '../app';
import type { BenchStack } from '../stack';
import type { Row } from '../report';

/**
 * (4) Temporal history events: per pure widget (a 1-widget chain against an 11-widget one) and
 * per I/O widget (one HTTP Request against one pure widget), against a bare workflow with and
 * without one activity. Counted from the histories of completed executions.
 */
export async function measureHistory(stack: BenchStack): Promise<Row[]> {
  const target = await jsonServer();
  try {
    let n = 0;
    const eventsOf = async (definition: FlowDefinition) => {
      const flowSid = await publish(stack, `bench: history ${n}`, definition);
      const workflowId = await startExecution(stack, flowSid, contact(5, n++));
      await executionResult(stack, workflowId);
      return countEvents(stack, workflowId);
    };
    const one = await eventsOf(pureLogicFlow(1));
    const eleven = await eventsOf(pureLogicFlow(11));
    // The 1-widget flow with an HTTP Request after it: the difference is the HTTP Request's alone
    // (a flow without Set Variables would also lack the behaviour change that widget consults).
    const pureOne = pureLogicFlow(1);
    const httpFlow: FlowDefinition = {
      ...pureOne,
      states: [
        ...pureOne.states.map((state) => (state.name === 'w1' ? { ...state, transitions: [{ event: 'next', next: 'lookup' }] } : state)),
        {
          name: 'lookup',
          type: 'make-http-request',
          properties: { method: 'GET', url: `${target.url}/status`, content_type: 'application/json' },
          transitions: [{ event: 'success' }, { event: 'failed' }],
        },
      ],
    };
    const withHttp = await eventsOf(httpFlow);

    await stack.client.workflow.execute(bareCompletion, { taskQueue: stack.bareTaskQueue, workflowId: 'bare-history-0' });
    const bareNone = await countEvents(stack, 'bare-history-0');
    await stack.client.workflow.execute(bareOneActivity, { taskQueue: stack.bareTaskQueue, workflowId: 'bare-history-1', args: [contact(5, 999)] });
    const bareOne = await countEvents(stack, 'bare-history-1');
    return [
      {
        id: 'history-pure-widget',
        figure: 'history events per pure widget',
        unit: 'events',
        engine: (eleven - one) / 10,
        baseline: 0,
        baselineLabel: 'a bare workflow computing in its task',
        target: '0',
        met: eleven === one,
        detail: { oneWidgetExecution: one, elevenWidgetExecution: eleven, bareEmptyWorkflow: bareNone },
      },
      {
        id: 'history-io-widget',
        figure: 'history events per I/O widget (HTTP Request)',
        unit: 'events',
        engine: withHttp - one,
        baseline: bareOne - bareNone,
        baselineLabel: 'one bare activity',
        target: 'its activity\'s events only',
        met: withHttp - one === bareOne - bareNone,
        detail: { httpExecution: withHttp, bareOneActivity: bareOne },
      },
    ];
  } finally {
    await target.close();
  }
}

async function countEvents(stack: BenchStack, workflowId: string): Promise<number> {
  const handle = stack.client.workflow.getHandle(workflowId);
  await handle.result();
  const history = await handle.fetchHistory();
  return history.events?.length ?? 0;
}

async function jsonServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
