import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ExecutionService } from '../../src/services/executions';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { useStudio } from '../helpers/studio-processes';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { ask, recordFigures, say } from './fault-kit';

/**
 * L6, the invariant under concurrent load: every inbound message the API accepted (2xx) reached
 * exactly one execution and was taken there exactly once, every execution ends where the flow
 * does, and the messages the stand-in received are exactly the ones the executions sent.
 * A retry Twilio sends at the same moment as the original can pass the API's duplicate check
 * (it is not atomic across requests) and arrive as a second signal; the execution's mailbox
 * knows the MessageSid and drops it, which the answers below prove.
 */
describe('L6: accepted inbound = started or signalled; sends recorded = sends received', () => {
  const studio = useStudio('twilio');
  let connection: Connection;
  let temporal: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    temporal = new Client({ connection });
  });
  afterAll(() => connection?.close());

  it('20 contacts × 3 messages at once, each first message also retried by "Twilio"', async () => {
    const definition = flowOf(triggerState({ incomingMessage: 'q1' }), ask('q1', 'One?', 'q2'), ask('q2', 'Two?', 'done'), say('done', 'Done: {{widgets.q1.inbound.Body}} {{widgets.q2.inbound.Body}}'));
    const flow = (await studio().client.studio.v2.flows.create({ friendlyName: 'l6', status: 'published', definition })).sid;
    const base = 1000 + Math.floor(Math.random() * 8000);
    const contacts = Array.from({ length: 20 }, (_, i) => `+1707${base}${String(100 + i)}`);
    const sentTo = (to: string) => studio().standIn!.messages.filter((m) => m.to === to).map((m) => m.body);
    const post = (from: string, body: string, sid: string) => postInboundMessage(studio().webhook(flow), studio().account.authToken, { From: from, To: '+15005550006', Body: body, MessageSid: sid });

    let accepted = 0;
    let duplicates = 0;
    await Promise.all(
      contacts.map(async (c) => {
        const first = `SM${randomBytes(16).toString('hex')}`;
        // The first message and Twilio's retry of it, at the same moment.
        const [a, b] = await Promise.all([post(c, 'start', first), post(c, 'start', first)]);
        expect([a.status, b.status]).toEqual([200, 200]);
        accepted += 1;
        duplicates += 1;
        for (const [n, body] of ['x', 'y'].entries()) {
          await eventually(`question ${n + 1} to ${c}`, () => Promise.resolve(sentTo(c).length >= n + 1 ? true : undefined), 60_000);
          expect((await post(c, `${body}${c.slice(-3)}`, `SM${randomBytes(16).toString('hex')}`)).status).toBe(200);
          accepted += 1;
        }
      }),
    );
    await eventually('every execution done', () => Promise.resolve(contacts.every((c) => sentTo(c).length === 3) ? true : undefined), 90_000);

    let signals = 0;
    let started = 0;
    const signalled = new Set<string>();
    for (const c of contacts) {
      const handle = temporal.workflow.getHandle(ExecutionService.workflowId(flow, c));
      const events = (await handle.fetchHistory()).events ?? [];
      for (const e of events) {
        const signal = e.workflowExecutionSignaledEventAttributes;
        if (signal?.signalName !== 'inboundMessage') continue;
        signals += 1;
        const payload = JSON.parse(Buffer.from(signal.input!.payloads![0]!.data!).toString('utf8')) as { params: { MessageSid: string } };
        signalled.add(payload.params.MessageSid);
      }
      started += events.filter((e) => e.workflowExecutionStartedEventAttributes).length;
      // Taken once: a duplicate "start" taken as an answer would show here.
      expect(sentTo(c)).toEqual(['One?', 'Two?', `Done: x${c.slice(-3)} y${c.slice(-3)}`]);
    }
    expect(started).toBe(contacts.length);
    // Every accepted message reached its execution; extra signals are only same-moment retries.
    expect(signalled.size).toBe(accepted);
    expect(signals - accepted).toBeLessThanOrEqual(duplicates);
    expect(studio().standIn!.messages.filter((m) => contacts.includes(m.to))).toHaveLength(contacts.length * 3);
    const executions = await studio().client.studio.v2.flows(flow).executions.list();
    expect(executions).toHaveLength(contacts.length);
    recordFigures('L6', { contacts: contacts.length, accepted, retriedDuplicates: duplicates, started, signals, distinctSignalled: signalled.size, droppedByMailbox: signals - accepted, sent: contacts.length * 3, received: contacts.length * 3 });
  }, 240_000);
});
