import type { flowExecution, FlowExecutionResult } from '../workflows/flow-execution';
import type { FlowDefinition, FlowState } from '../src/flow/definition';
import { ExecutionService } from '../src/services/executions';
import { flowOf, setVariablesState, triggerState } from '../test/helpers/flows';
import type { BenchStack } from './stack';

/** The app's REST API as a bench client uses it: Basic auth, form bodies. */
export async function api(stack: BenchStack, path: string, form?: Record<string, string>): Promise<Response> {
  const auth = Buffer.from(`${stack.account.accountSid}:${stack.account.authToken}`).toString('base64');
  return fetch(`${stack.apiUrl}${path}`, {
    method: form ? 'POST' : 'GET',
    headers: { authorization: `Basic ${auth}` },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
}

export async function publish(stack: BenchStack, name: string, definition: FlowDefinition): Promise<string> {
  const response = await api(stack, '/v2/Flows', { FriendlyName: name, Status: 'published', Definition: JSON.stringify(definition) });
  if (response.status !== 201) throw new Error(`publishing ${name}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { sid: string }).sid;
}

/** Starts an execution through the Executions API; resolves with its workflow ID. */
export async function startExecution(stack: BenchStack, flowSid: string, to: string): Promise<string> {
  const response = await api(stack, `/v2/Flows/${flowSid}/Executions`, { To: to, From: FLOW_NUMBER });
  if (response.status !== 201) throw new Error(`starting an execution: ${response.status} ${await response.text()}`);
  await response.body?.cancel();
  return ExecutionService.workflowId(flowSid, to);
}

/** The flow's own number (the To of inbound traffic, the From of REST starts). */
export const FLOW_NUMBER = '+15005550006';

/** A distinct contact per index and per scenario, so no two executions share a workflow ID. */
export function contact(scenario: number, i: number): string {
  return `+1${scenario}${String(i).padStart(9, '0')}`;
}

/**
 * Ten pure-logic widgets in a chain: Set Variables with Liquid arithmetic and filters,
 * alternating with Split Based On over the values set (the kind of logic Studio flows are made
 * of). `widgets` shorter chains are used to count history events per widget.
 */
export function pureLogicFlow(widgets = 10): FlowDefinition {
  const states: FlowState[] = [];
  for (let i = 1; i <= widgets; i++) {
    const name = `w${i}`;
    const next = i < widgets ? `w${i + 1}` : undefined;
    if (i % 2 === 1) {
      states.push(setVariablesState(name, [
        { key: 'n', value: '{{flow.variables.n | default: 0 | plus: 1}}' },
        { key: 'greeting', value: 'Hi {{contact.channel.address | slice: -4, 4}}, step {{flow.variables.n | default: 0}}' },
      ], next));
    } else {
      const to = next ? { next } : {};
      states.push({
        name,
        type: 'split-based-on',
        properties: { input: '{{flow.variables.n}}' },
        transitions: [
          { event: 'noMatch', ...to },
          { event: 'match', ...to, conditions: [{ friendly_name: 'positive', arguments: ['{{flow.variables.n}}'], type: 'greater_than', value: '0' }] },
        ],
      });
    }
  }
  return flowOf(triggerState({ incomingRequest: 'w1' }), ...states);
}

/** Waits for an execution to end and refuses one that failed: a benchmark of failures measures nothing. */
export async function executionResult(stack: BenchStack, workflowId: string): Promise<FlowExecutionResult> {
  const result = await stack.client.workflow.getHandle<typeof flowExecution>(workflowId).result();
  if (result.failure) throw new Error(`execution ${workflowId} failed: ${JSON.stringify(result.failure)}`);
  return result;
}
