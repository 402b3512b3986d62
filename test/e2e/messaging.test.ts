import { randomBytes } from 'node:crypto';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { useStudio } from '../helpers/studio-processes';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import type { FlowState } from '../../src/flow/definition';

/**
 * Messaging end to end with the real processes (`main.js api` and `main.js worker`, as
 * `npm run api` / `npm run worker` start them), signed webhooks, and a stand-in for Twilio's API.
 */
const ask = (name: string, body: string, next?: string): FlowState => ({
  name,
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body, timeout: '3600' },
  transitions: [next ? { event: 'incomingMessage', next } : { event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});
const say = (name: string, body: string): FlowState => ({ name, type: 'send-message', properties: { body }, transitions: [{ event: 'sent' }, { event: 'failed' }] });

describe('messaging with the real processes', () => {
  const studio = useStudio('twilio');

  const standIn = () => studio().standIn!;
  const client = () => studio().client;
  const text = (flow: string, from: string, body: string, sid?: string) =>
    postInboundMessage(studio().webhook(flow), studio().account.authToken, { From: from, To: '+15005550006', Body: body, ...(sid ? { MessageSid: sid } : {}) });
  const sentTo = (to: string) => standIn().messages.filter((m) => m.to === to).map((m) => m.body);
  const waitSent = (to: string, n: number) => eventually(`${n} messages to ${to}`, () => Promise.resolve(sentTo(to).length >= n ? sentTo(to) : undefined), 30_000);

  it('runs a signed multi-turn survey; a forged webhook gets 403 and a retried one starts nothing', async () => {
    const flow = (await client().studio.v2.flows.create({
      friendlyName: 'survey',
      status: 'published',
      definition: flowOf(triggerState({ incomingMessage: 'name' }), ask('name', 'Your name?', 'color'), ask('color', 'Favourite colour, {{widgets.name.inbound.Body}}?', 'bye'), say('bye', '{{widgets.color.inbound.Body}} it is!')),
    })).sid;
    const contact = '+14155550300';
    const first = `SM${randomBytes(16).toString('hex')}`;
    expect((await text(flow, contact, 'start', first)).status).toBe(200);
    await waitSent(contact, 1);
    const forged = await fetch(studio().webhook(flow), { method: 'POST', headers: { 'x-twilio-signature': 'bm9wZQ==' }, body: new URLSearchParams({ MessageSid: 'SMx', From: contact, To: '+1', Body: 'x' }) });
    expect(forged.status).toBe(403);
    expect((await text(flow, contact, 'start', first)).status).toBe(200); // Twilio retrying the first webhook
    await text(flow, contact, 'Grace');
    await waitSent(contact, 2);
    await text(flow, contact, 'green');
    expect(await waitSent(contact, 3)).toEqual(['Your name?', 'Favourite colour, Grace?', 'green it is!']);
    const executions = await client().studio.v2.flows(flow).executions.list();
    expect(executions).toHaveLength(1);
  }, 60_000);

  it('takes the timeout path, the delivery-failure path, and routes a test user to the draft', async () => {
    const timeoutFlow = (await client().studio.v2.flows.create({
      friendlyName: 'timeout',
      status: 'published',
      definition: flowOf(triggerState({ incomingMessage: 'q' }), { ...ask('q', 'Quick!'), properties: { body: 'Quick!', timeout: '1' }, transitions: [{ event: 'incomingMessage' }, { event: 'timeout', next: 'late' }, { event: 'deliveryFailure', next: 'lost' }] }, say('late', 'Too late.'), say('lost', 'unused')),
    })).sid;
    await text(timeoutFlow, '+14155550310', 'go');
    expect(await waitSent('+14155550310', 2)).toEqual(['Quick!', 'Too late.']);

    const failureFlow = (await client().studio.v2.flows.create({
      friendlyName: 'failure',
      status: 'published',
      definition: flowOf(
        triggerState({ incomingMessage: 'q' }),
        { ...ask('q', 'Anyone there?'), transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure', next: 'log' }] },
        { name: 'log', type: 'set-variables', properties: { variables: [{ key: 'status', value: '{{widgets.q.outbound.Status}}' }] }, transitions: [{ event: 'next' }] },
      ),
    })).sid;
    await text(failureFlow, '+14155550311', 'go');
    const [question] = await waitSent('+14155550311', 1);
    expect(question).toBe('Anyone there?');
    const sent = standIn().messages.find((m) => m.to === '+14155550311')!;
    await new Promise((r) => setTimeout(r, 300));
    expect(await standIn().reportStatus(sent.sid, 'failed', '30008')).toBe(204);
    const execution = await eventually('the execution to end', async () => {
      const [e] = await client().studio.v2.flows(failureFlow).executions.list();
      return e && (await client().studio.v2.flows(failureFlow).executions(e.sid).fetch()).status === 'ended' ? e : undefined;
    });
    const context = await client().studio.v2.flows(failureFlow).executions(execution.sid).executionContext().fetch();
    expect(context.context).toMatchObject({ flow: { variables: { status: 'failed' } } });

    const draftFlow = (await client().studio.v2.flows.create({ friendlyName: 'draft', status: 'published', definition: flowOf(triggerState({ incomingMessage: 'v' }), say('v', 'published')) })).sid;
    await client().studio.v2.flows(draftFlow).update({ status: 'draft', definition: flowOf(triggerState({ incomingMessage: 'v' }), say('v', 'draft')) });
    await client().studio.v2.flows(draftFlow).testUsers().update({ testUsers: ['+14155550313'] });
    await text(draftFlow, '+14155550312', 'hi');
    await text(draftFlow, '+14155550313', 'hi');
    expect(await waitSent('+14155550312', 1)).toEqual(['published']);
    expect(await waitSent('+14155550313', 1)).toEqual(['draft']);
  }, 60_000);

  it('sends once when the worker is killed after Twilio accepted a send and before the activity completed', async () => {
    const flow = (await client().studio.v2.flows.create({
      friendlyName: 'crash',
      status: 'published',
      definition: flowOf(triggerState({ incomingMessage: 'q' }), ask('q', 'kill-me', 'done'), say('done', 'Still here: {{widgets.q.inbound.Body}}')),
    })).sid;
    const contact = '+14155550301';
    let killed = false;
    standIn().onAccept = async (message) => {
      if (message.body !== 'kill-me' || killed) return;
      killed = true;
      await studio().stopWorker('SIGKILL');
    };
    await text(flow, contact, 'hi');
    await eventually('the worker to be killed', () => Promise.resolve(killed && !studio().worker ? true : undefined), 20_000);
    standIn().onAccept = undefined;
    await studio().startWorker();
    // The retried send finds the accepted message; the conversation goes on.
    await eventually('the execution to wait for the reply', async () => {
      const executions = await client().studio.v2.flows(flow).executions.list();
      if (executions.length !== 1) return undefined;
      // 503 while no worker answers the query yet: keep asking.
      const steps = await client().studio.v2.flows(flow).executions(executions[0]!.sid).steps.list().catch(() => []);
      return steps.length >= 1 ? true : undefined;
    }, 40_000);
    await new Promise((r) => setTimeout(r, 500));
    await text(flow, contact, 'yes');
    expect(await waitSent(contact, 2)).toEqual(['kill-me', 'Still here: yes']);
    // The send was retried on the new worker, found the accepted message and did not send again.
    expect(standIn().lookups).toBeGreaterThanOrEqual(1);
  }, 90_000);
});

describe('the local channel with the real processes', () => {
  const studio = useStudio('local');

  it('round-trips through the inbox: a contact writes, the flow answers, the contact replies', async () => {
    const { url, account } = studio();
    const flow = (await studio().client.studio.v2.flows.create({
      friendlyName: 'local',
      status: 'published',
      definition: flowOf(triggerState({ incomingMessage: 'q' }), ask('q', 'Which size?', 'ok'), say('ok', 'Size {{widgets.q.inbound.Body | upcase}} noted.')),
    })).sid;
    const auth = { authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}` };
    const write = (body: string) => fetch(`${url}/v1/Local/Flows/${flow}/Messages`, { method: 'POST', headers: auth, body: new URLSearchParams({ From: '+14155550400', To: '+15005550006', Body: body }) });
    const read = async () => ((await (await fetch(`${url}/v1/Local/Messages?Contact=%2B14155550400`, { headers: auth })).json()) as { messages: Array<{ direction: string; body: string }> }).messages.map((m) => `${m.direction}:${m.body}`).reverse();
    expect((await write('shirt')).status).toBe(201);
    await eventually('the question', async () => ((await read()).length >= 2 ? true : undefined));
    await write('m');
    expect(await eventually('the answer', async () => {
      const messages = await read();
      return messages.length >= 4 ? messages : undefined;
    })).toEqual(['inbound:shirt', 'outbound:Which size?', 'inbound:m', 'outbound:Size M noted.']);
  }, 60_000);
});
