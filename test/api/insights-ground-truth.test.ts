import type { FlowState } from '../../src/flow/definition';
import { DEFAULT_EXECUTION_LIMITS } from '../../src/limits/execution';
import { DIALECTS } from '../helpers/databases';
import { flowOf, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';

const send = (name: string, body: string): FlowState => ({ name, type: 'send-message', properties: { from: '{{flow.channel.address}}', body }, transitions: [{ event: 'sent' }, { event: 'failed' }] });
const match = (value: string, next: string) => ({ event: 'match', next, conditions: [{ friendly_name: value, arguments: ['{{trigger.message.Body}}'], type: 'equal_to', value }] });

/** A support line: "good" and "bad" look something up (a service that fails for "bad"), "ask" asks a question that may time out, the rest match nothing. */
function supportLine(serviceUrl: string, waitSeconds: number) {
  return flowOf(
    triggerState({ incomingMessage: 'route' }),
    { name: 'route', type: 'split-based-on', properties: { input: '{{trigger.message.Body}}' }, transitions: [{ event: 'noMatch' }, match('good', 'lookup'), match('bad', 'lookup'), match('ask', 'question')] },
    { name: 'lookup', type: 'make-http-request', properties: { method: 'GET', url: `${serviceUrl}/{{trigger.message.Body}}`, content_type: 'application/json' }, transitions: [{ event: 'success', next: 'done' }, { event: 'failed' }] },
    send('done', 'Found it.'),
    {
      name: 'question',
      type: 'send-and-wait-for-reply',
      properties: { from: '{{flow.channel.address}}', body: 'Anything else?', timeout: String(waitSeconds) },
      transitions: [{ event: 'incomingMessage', next: 'thanks' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
    },
    send('thanks', 'Thanks!'),
  );
}

/**
 * Insights against ground truth: 300 contacts text a flow with choices the test makes — HTTP
 * successes and failures, replies and timeouts, no match — and every count the API gives equals
 * the count the test made.
 */
describe.each(DIALECTS)('flow insights equal what happened (%s)', (dialect) => {
  let rig: MessagingRig;
  let service: TestServer;
  let flow: string;
  const CONTACTS = 300;
  const WAIT_SECONDS = 10;
  const contact = (i: number) => `+1555${String(i).padStart(7, '0')}`;
  const choice = (i: number) => ['good', 'bad', 'ask', 'other'][i % 4]!;
  const replies = (i: number) => i % 8 === 2;
  const truth = { good: 0, bad: 0, ask: 0, other: 0, replied: 0 };

  beforeAll(async () => {
    service = await startTestServer((req, res) => void res.writeHead(req.url?.endsWith('/good') ? 200 : 500, { 'content-type': 'application/json' }).end('{}'));
    rig = await startMessagingRig({ dialect, limits: { execution: { ...DEFAULT_EXECUTION_LIMITS, maxNewInboundExecutionsPerSecond: 10_000 } } });
    flow = await rig.publish(supportLine(`${service.url}/lookup`, WAIT_SECONDS));
    const inbox = async (i: number) => ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(contact(i))}`)).json()) as { messages: Array<{ body: string }> }).messages;
    for (let i = 0; i < CONTACTS; i++) {
      expect((await rig.text(flow, contact(i), choice(i))).status).toBe(200);
      truth[choice(i) as keyof typeof truth]++;
      // Those who reply do so as soon as they have the question (well within its timeout); the others let it time out.
      if (choice(i) !== 'ask' || !replies(i)) continue;
      await eventually(`the question to ${contact(i)}`, async () => ((await inbox(i)).some((m) => m.body === 'Anything else?') ? true : undefined));
      expect((await rig.text(flow, contact(i), 'no, thanks')).status).toBe(200);
      truth.replied++;
    }
    await eventually('every execution ended', async () => {
      const body = (await (await rig.api.request(`/v2/Flows/${flow}/Insights`)).json()) as { executions: { ended: number } };
      return body.executions.ended === CONTACTS ? true : undefined;
    }, (WAIT_SECONDS + 60) * 1000);
  }, (WAIT_SECONDS + 180) * 1000);
  afterAll(async () => {
    await rig?.close();
    await service?.close();
  });

  const get = async <T>(path: string) => (await (await rig.api.request(`/v2/Flows/${flow}/Insights${path}`)).json()) as T;

  it('counts executions, widgets and transitions exactly', async () => {
    const timedOut = truth.ask - truth.replied;
    expect(truth).toEqual({ good: 75, bad: 75, ask: 75, other: 75, replied: 38 });
    expect((await get<{ executions: unknown }>('')).executions).toEqual({ started: 300, active: 0, ended: 300, ended_by: { FLOW_END: 300 }, by_trigger: { incomingMessage: 300 } });
    expect((await get<{ widgets: unknown }>('/Widgets')).widgets).toEqual([
      { widget: 'Trigger', reached: 300, waiting: 0, ended: 0 },
      { widget: 'done', reached: truth.good, waiting: 0, ended: truth.good },
      { widget: 'lookup', reached: truth.good + truth.bad, waiting: 0, ended: truth.bad },
      { widget: 'question', reached: truth.ask, waiting: 0, ended: timedOut },
      { widget: 'route', reached: 300, waiting: 0, ended: truth.other },
      { widget: 'thanks', reached: truth.replied, waiting: 0, ended: truth.replied },
    ]);
    expect((await get<{ transitions: unknown }>('/Transitions')).transitions).toEqual([
      { widget: 'Trigger', event: 'incomingMessage', next: 'route', taken: 300 },
      { widget: 'done', event: 'sent', next: 'Ended', taken: truth.good },
      { widget: 'lookup', event: 'failed', next: 'Ended', taken: truth.bad },
      { widget: 'lookup', event: 'success', next: 'done', taken: truth.good },
      { widget: 'question', event: 'incomingMessage', next: 'thanks', taken: truth.replied },
      { widget: 'question', event: 'timeout', next: 'Ended', taken: timedOut },
      { widget: 'route', event: 'match', next: 'lookup', taken: truth.good + truth.bad },
      { widget: 'route', event: 'match', next: 'question', taken: truth.ask },
      { widget: 'route', event: 'noMatch', next: 'Ended', taken: truth.other },
      { widget: 'thanks', event: 'sent', next: 'Ended', taken: truth.replied },
    ]);
  });

  it('measures the wait and the funnel', async () => {
    const { waits } = await get<{ waits: Array<Record<string, number | string>> }>('/Waits');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ widget: 'question', replies: truth.replied, timeouts: truth.ask - truth.replied, timeout_rate: (truth.ask - truth.replied) / truth.ask });
    // Replies came within the test's own wait for them; none waited as long as a timeout.
    expect(waits[0]!.median_reply_ms).toBeLessThan(WAIT_SECONDS * 1000);
    expect(waits[0]!.p90_reply_ms).toBeGreaterThanOrEqual(waits[0]!.median_reply_ms as number);
    expect(await get('/Funnel?From=Trigger&To=thanks')).toMatchObject({ entered: 300, reached: truth.replied });
    expect(await get('/Funnel?From=lookup&To=done')).toMatchObject({ entered: truth.good + truth.bad, reached: truth.good });
  });
});
