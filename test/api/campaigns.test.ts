import type { FlowDefinition } from '../../src/flow/definition';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';

const FROM = '+15005550006';
const greet: FlowDefinition = flowOf(triggerState({ incomingRequest: 'hello' }), {
  name: 'hello',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', body: 'Hello {{flow.data.name}}' },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
});

interface Campaign {
  sid: string;
  status: string;
  total: number;
  rate: number;
  flow_revision: number;
  counts: Record<'pending' | 'starting' | 'started' | 'skipped' | 'failed', number>;
  executions_ended: number;
  created_by: string;
  links: { contacts: string };
}
interface Contact {
  position: number;
  to: string;
  data: Record<string, unknown>;
  status: string;
  reason: string | null;
  execution_sid: string | null;
}

/** The Campaigns API with a real worker: a list as JSON or CSV, its progress and contacts, pause/resume/cancel, refusals. */
describe('POST /v2/Flows/{FlowSid}/Campaigns', () => {
  let rig: MessagingRig;
  let flow: string;
  const contact = (i: number) => `+1415666${String(i).padStart(4, '0')}`;
  const campaigns = () => `/v2/Flows/${flow}/Campaigns`;
  const get = async <T>(path: string) => (await (await rig.api.request(path)).json()) as T;
  const finished = (sid: string) =>
    eventually(`campaign ${sid} to finish`, async () => {
      const c = await get<Campaign>(`${campaigns()}/${sid}`);
      return c.status === 'completed' || c.status === 'cancelled' ? c : undefined;
    }, 30_000);

  beforeAll(async () => {
    rig = await startMessagingRig();
    flow = await rig.publish(greet);
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('runs a JSON list: one execution per contact with its data, bad rows skipped with the reason', async () => {
    const list = [...Array.from({ length: 8 }, (_, i) => ({ To: contact(i), name: `N${i}` })), { To: 'nobody' }, { To: contact(0), name: 'again' }];
    const created = await rig.api.request(campaigns(), { method: 'POST', form: { From: FROM, Rate: '5', Contacts: JSON.stringify(list) } });
    expect(created.status).toBe(201);
    const campaign = (await created.json()) as Campaign;
    expect(campaign).toMatchObject({ total: 10, rate: 5, flow_revision: 1, created_by: rig.account.accountSid });
    const done = await finished(campaign.sid);
    expect(done).toMatchObject({ status: 'completed', counts: { pending: 0, starting: 0, started: 8, skipped: 2, failed: 0 } });
    const contacts = (await get<{ contacts: Contact[] }>(`${campaigns()}/${campaign.sid}/Contacts`)).contacts;
    expect(contacts.map((c) => [c.position, c.to, c.status, c.reason])).toEqual([
      ...Array.from({ length: 8 }, (_, i) => [i, contact(i), 'started', null]),
      [8, 'nobody', 'skipped', 'invalid-number'],
      [9, contact(0), 'skipped', 'duplicate'],
    ]);
    expect(contacts[3]!.data).toEqual({ name: 'N3' });
    expect(contacts.filter((c) => c.execution_sid).length).toBe(8);
    // Each contact got its own message once; the executions end and are counted.
    const inbox = await get<{ messages: Array<{ body: string; direction: string }> }>(`/v1/Local/Messages?Contact=${encodeURIComponent(contact(3))}`);
    expect(inbox.messages.filter((m) => m.direction === 'outbound').map((m) => m.body)).toEqual(['Hello N3']);
    await eventually('8 executions ended', async () => ((await get<Campaign>(`${campaigns()}/${campaign.sid}`)).executions_ended === 8 ? true : undefined), 20_000);
    expect((await get<{ contacts: Contact[] }>(`${campaigns()}/${campaign.sid}/Contacts?Status=skipped`)).contacts.map((c) => c.position)).toEqual([8, 9]);
  });

  it('takes a CSV upload (text/csv, the other parameters in the query string)', async () => {
    const csv = `To,name\n${contact(20)},Ada\n${contact(21)},Grace\n`;
    const created = await rig.api.request(`${campaigns()}?From=${encodeURIComponent(FROM)}&Rate=10&TimeZone=Europe/Paris`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(created.status).toBe(201);
    const done = await finished(((await created.json()) as Campaign).sid);
    expect(done.counts.started).toBe(2);
  });

  it('pauses, resumes and cancels; an ended campaign takes nothing', async () => {
    const list = Array.from({ length: 30 }, (_, i) => ({ To: contact(100 + i) }));
    const campaign = (await (await rig.api.request(campaigns(), { method: 'POST', form: { From: FROM, Rate: '2', Contacts: JSON.stringify(list) } })).json()) as Campaign;
    const update = (Status: string) => rig.api.request(`${campaigns()}/${campaign.sid}`, { method: 'POST', form: { Status } });
    expect((await update('paused')).status).toBe(200);
    await eventually('paused', async () => ((await get<Campaign>(`${campaigns()}/${campaign.sid}`)).status === 'paused' ? true : undefined));
    expect((await update('running')).status).toBe(200);
    expect((await update('cancelled')).status).toBe(200);
    const done = await finished(campaign.sid);
    expect(done.status).toBe('cancelled');
    expect(done.counts.started).toBeLessThan(30);
    const again = await update('running');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: number }).code).toBe(20409);
  });

  it('previews a list as the campaign would read it, starting nothing', async () => {
    const csv = `To,name\n${contact(50)},Ada\nbad,x\n${contact(50)},again\n`;
    const response = await rig.api.request(`${campaigns()}/Preview`, { method: 'POST', form: { Csv: csv } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      total: 3,
      skipped: { 'invalid-number': 1, duplicate: 1 },
      contacts: [{ to: contact(50), data: { name: 'Ada' }, skip: null }, { to: 'bad', data: { name: 'x' }, skip: 'invalid-number' }, { to: contact(50), data: { name: 'again' }, skip: 'duplicate' }],
    });
    expect((await get<{ campaigns: unknown[] }>(campaigns())).campaigns).toHaveLength(3);
  });

  it('refuses what cannot be a campaign, saying which parameter', async () => {
    const refused = async (form: Record<string, string>) => {
      const response = await rig.api.request(campaigns(), { method: 'POST', form });
      return [response.status, ((await response.json()) as { message: string }).message];
    };
    const list = JSON.stringify([{ To: contact(1) }]);
    expect(await refused({ From: FROM, Rate: '0', Contacts: list })).toEqual([400, 'Rate must be from 1 to 100 executions per second (LIMIT_CAMPAIGN_MAX_RATE)']);
    expect(await refused({ From: FROM, Rate: '101', Contacts: list })).toEqual([400, 'Rate must be from 1 to 100 executions per second (LIMIT_CAMPAIGN_MAX_RATE)']);
    expect(await refused({ From: 'me', Rate: '1', Contacts: list })).toEqual([400, 'Invalid \'From\' address "me"']);
    expect(await refused({ From: FROM, Rate: '1', Contacts: list, QuietHours: '9-5' })).toEqual([400, 'QuietHours must be HH:MM-HH:MM (24-hour, local to TimeZone), not "9-5"']);
    expect(await refused({ From: FROM, Rate: '1', Contacts: list, TimeZone: 'Mars/Base' })).toEqual([400, 'Unknown TimeZone "Mars/Base": expected an IANA name such as America/New_York']);
    expect(await refused({ From: FROM, Rate: '1' })).toEqual([400, 'Give the list as Contacts (JSON) or as a CSV upload, one of them']);
    expect(await refused({ From: FROM, Rate: '1', Contacts: '{}' })).toEqual([400, 'Contacts must be a JSON array of objects, each with a To']);
    expect(await refused({ From: FROM, Rate: '1', Csv: 'Phone\n+14155550000\n' })).toEqual([400, 'The CSV has no To column (columns: Phone)']);
    expect((await fetch(`${rig.api.url}${campaigns()}`, { method: 'POST' })).status).toBe(401);
    expect((await rig.api.request(`${campaigns()}/CM${'0'.repeat(32)}`)).status).toBe(404);
  });
});
