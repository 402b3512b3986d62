import type { Stack } from './stack';

/**
 * Two small published flows and a few REST-started executions of each, through the public
 * REST API only. Every execution stops at a Send & Wait For Reply, so it stays Running at a
 * named widget — what a user looks for in the Temporal UI.
 */
export interface DemoExecution {
  readonly flowSid: string;
  readonly executionSid: string;
  readonly contact: string;
  /** `{FlowSid}:{To}`, as the Executions API starts it. */
  readonly workflowId: string;
}

export interface Demo {
  /** The flow the screenshots and the test filter on, and its executions. */
  readonly flowSid: string;
  readonly executions: readonly DemoExecution[];
  /** A second flow's executions: they must not appear under the first flow's filter. */
  readonly otherFlowSid: string;
  readonly otherExecutions: readonly DemoExecution[];
}

/** Where every demo execution waits. */
export const WAITING_WIDGET = 'ask_rating';
const OTHER_WAITING_WIDGET = 'confirm_address';
const CHANNEL = '+15005550006';

export async function createDemo(stack: Stack): Promise<Demo> {
  const api = restClient(stack);
  const flowSid = await api.publish('Feedback survey', survey(WAITING_WIDGET, 'How did we do today? Reply 1-5.'));
  const otherFlowSid = await api.publish('Delivery updates', survey(OTHER_WAITING_WIDGET, 'Is your address still 1 Main St? Reply YES or NO.'));
  const executions = [];
  for (const contact of ['+14155550101', '+14155550102', '+14155550103']) executions.push(await api.startExecution(flowSid, contact));
  const otherExecutions = [];
  for (const contact of ['+14155550198', '+14155550199']) otherExecutions.push(await api.startExecution(otherFlowSid, contact));
  // Visibility and the workflows catch up asynchronously: open the UI only once both are there.
  await api.waitUntilWaiting(executions, WAITING_WIDGET);
  await api.waitUntilWaiting(otherExecutions, OTHER_WAITING_WIDGET);
  return { flowSid, executions, otherFlowSid, otherExecutions };
}

/** Trigger (REST) → Set Variables → Send & Wait For Reply, which waits an hour. */
function survey(waitAt: string, question: string) {
  const none = (event: string) => ({ event });
  return {
    description: 'Temporal UI demo',
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        properties: { offset: { x: 0, y: 0 } },
        transitions: [none('incomingMessage'), none('incomingCall'), none('incomingConversationMessage'), { event: 'incomingRequest', next: 'remember_plan' }, none('incomingParent')],
      },
      {
        name: 'remember_plan',
        type: 'set-variables',
        properties: { variables: [{ key: 'plan', value: 'gold' }], offset: { x: 0, y: 200 } },
        transitions: [{ event: 'next', next: waitAt }],
      },
      {
        name: waitAt,
        type: 'send-and-wait-for-reply',
        properties: { from: '{{flow.channel.address}}', body: question, timeout: '3600', offset: { x: 0, y: 400 } },
        transitions: [none('incomingMessage'), none('timeout'), none('deliveryFailure')],
      },
    ],
  };
}

function restClient(stack: Stack) {
  const authorization = `Basic ${Buffer.from(`${stack.account.accountSid}:${stack.account.authToken}`).toString('base64')}`;
  const call = async <T>(method: string, path: string, form?: Record<string, string>): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${path}`, { method, headers: { authorization }, ...(form ? { body: new URLSearchParams(form) } : {}) });
    const body = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  return {
    publish: async (name: string, definition: object) =>
      (await call<{ sid: string }>('POST', '/v2/Flows', { FriendlyName: name, Status: 'published', Definition: JSON.stringify(definition) })).sid,
    startExecution: async (flowSid: string, contact: string): Promise<DemoExecution> => {
      const created = await call<{ sid: string }>('POST', `/v2/Flows/${flowSid}/Executions`, { To: contact, From: CHANNEL });
      return { flowSid, executionSid: created.sid, contact, workflowId: `${flowSid}:${contact}` };
    },
    /** Listed by the API (Temporal visibility) and each one's last step entered `widget`. */
    waitUntilWaiting: async (executions: readonly DemoExecution[], widget: string): Promise<void> => {
      await poll(`${executions.length} executions waiting at ${widget}`, async () => {
        const flowSid = executions[0]!.flowSid;
        const listed = await call<{ executions: Array<{ sid: string }> }>('GET', `/v2/Flows/${flowSid}/Executions`);
        if (!executions.every((e) => listed.executions.some((l) => l.sid === e.executionSid))) return false;
        for (const e of executions) {
          const { steps } = await call<{ steps: Array<{ transitioned_to: string }> }>('GET', `/v2/Flows/${flowSid}/Executions/${e.executionSid}/Steps`);
          if (steps.at(-1)?.transitioned_to !== widget) return false;
        }
        return true;
      });
    },
  };
}

async function poll(what: string, ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  while (Date.now() < deadline) {
    try {
      if (await ready()) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
}
