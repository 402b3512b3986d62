import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { ensureNamespace } from '../../src/temporal/namespace';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { freePort } from '../helpers/ports';
import { useStudio } from '../helpers/studio-processes';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { ask, recordFigures, say, timed } from './fault-kit';

/**
 * F4: the Temporal server stops and starts again on its database file while executions are
 * parked and webhooks keep coming. The API answers every request (503 while the server is
 * away, never a hang); once the server is back every parked execution resumes and finishes,
 * and the stand-in received exactly the messages the executions recorded.
 */
describe('F4: Temporal server killed and restarted on its database file', () => {
  let server: DevServer;
  let port: number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  const startServer = async () => {
    server = await startDevServer({ cliPath: process.env.TEST_TEMPORAL_CLI_PATH!, ip: '127.0.0.1', port, dbFile, namespace: 'default' });
    const connection = await Connection.connect({ address: server.address });
    await ensureNamespace(connection, { namespace: 'default', retentionDays: 1 }).finally(() => connection.close());
  };
  beforeAll(async () => {
    port = await freePort();
    await startServer();
  }, 90_000);
  const studio = useStudio('twilio', () => ({ temporalAddress: server.address }));
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const contacts = Array.from({ length: 8 }, (_, i) => `+1415555${String(2100 + i)}`);
  const text = (flow: string, from: string, body: string, sid?: string) =>
    postInboundMessage(studio().webhook(flow), studio().account.authToken, { From: from, To: '+15005550006', Body: body, ...(sid ? { MessageSid: sid } : {}) });
  const sentTo = (to: string) => studio().standIn!.messages.filter((m) => m.to === to).map((m) => m.body);

  it('parked executions resume and finish; while it is away the API answers 503 in Twilio shape', async () => {
    const definition = flowOf(triggerState({ incomingMessage: 'ask', incomingRequest: 'ask' }), ask('ask', 'Still there?', 'thanks'), say('thanks', 'Got {{widgets.ask.inbound.Body}}'));
    const flow = (await studio().client.studio.v2.flows.create({ friendlyName: 'f4', status: 'published', definition })).sid;
    for (const c of contacts) expect((await text(flow, c, 'hi')).status).toBe(200);
    await eventually('every execution parked on its question', () => Promise.resolve(contacts.every((c) => sentTo(c).length === 1) ? true : undefined), 60_000);

    // A crash, not a clean stop: SIGKILL, so nothing is flushed on the way out.
    process.kill(server.pid, 'SIGKILL');
    await server.exited;
    // While the server is away: replies, a new contact and a REST start are all answered.
    const during = await Promise.all([
      ...contacts.slice(0, 3).map((c) => timed(() => text(flow, c, 'reply while down'))),
      timed(() => text(flow, '+14155552199', 'new while down')),
      timed(() => fetch(`${studio().url}/v2/Flows/${flow}/Executions`, { method: 'POST', headers: authHeader(), body: new URLSearchParams({ To: '+14155552198', From: '+15005550006' }) })),
    ]);
    for (const r of during) {
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ status: 503, code: expect.any(Number), message: expect.any(String) });
    }
    // Once a request found the server away, the next ones are answered at once (not timed here: the figure is printed).
    const known = await timed(() => text(flow, contacts[3]!, 'again while down'));
    expect(known.status).toBe(503);
    const health = await fetch(`${studio().url}/health`);
    expect(health.status).toBe(503);

    await startServer();
    await eventually('the API healthy again', async () => ((await fetch(`${studio().url}/health`)).status === 200 ? true : undefined), 60_000);
    // The contacts answer; right after a restart the server may still refuse work (503), and a
    // timed-out call may even have landed: like Twilio, the same MessageSid is sent again until
    // accepted, and the execution takes it once.
    for (const c of contacts) {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      await eventually(`the answer of ${c} accepted`, async () => ((await text(flow, c, `answer ${c.slice(-2)}`, sid)).status === 200 ? true : undefined), 60_000);
    }
    await eventually('every execution finished', () => Promise.resolve(contacts.every((c) => sentTo(c).length === 2) ? true : undefined), 90_000);
    for (const c of contacts) expect(sentTo(c)).toEqual(['Still there?', `Got answer ${c.slice(-2)}`]);
    // Nothing accepted was lost or doubled: one execution per contact, all ended; no message to the refused ones.
    const executions = await eventually('every execution listed as ended', async () => {
      // Right after the restart the availability probe may still say "away" for a moment: a 503 is asked again.
      const listed = await studio()
        .client.studio.v2.flows(flow)
        .executions.list()
        .catch((err: { status?: number }) => {
          if (err.status === 503) return undefined;
          throw err;
        });
      return listed?.every((e) => e.status === 'ended') ? listed : undefined;
    }, 30_000);
    expect(executions.map((e) => e.contactChannelAddress).sort()).toEqual([...contacts].sort());
    expect(sentTo('+14155552199')).toEqual([]);
    expect(sentTo('+14155552198')).toEqual([]);
    recordFigures('F4', { parked: contacts.length, refusedWhileDown: during.length, slowestRefusalMs: Math.max(...during.map((d) => d.ms)), refusalOnceKnownMs: known.ms, resumed: contacts.length });
  }, 240_000);

  function authHeader() {
    const { accountSid, authToken } = studio().account;
    return { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` };
  }
});
