import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED } from '../../src/engine/events';
import { SINK_TEST_EVENT } from '../../src/events/cloudevent';
import { EventOutbox } from '../../src/store/event-outbox';
import { startTestApi, type TestApi } from '../helpers/api';
import { DIALECTS } from '../helpers/databases';
import { localTwilioClient } from '../helpers/twilio-client';
import { sinkConfigurationTakesFlow } from '../../src/events/sink-config';

/** Twilio's Event Streams management API (events.twilio.com/v1) through the official client. */
describe.each(DIALECTS)('the Events API with the twilio client (%s store)', (dialect) => {
  let api: TestApi;
  let client: ReturnType<typeof localTwilioClient>;
  let outbox: EventOutbox;
  beforeAll(async () => {
    api = await startTestApi(dialect);
    client = localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
    outbox = new EventOutbox(api.database, sinkConfigurationTakesFlow);
  });
  afterAll(async () => {
    await api?.close();
  });

  const webhook = { destination: 'https://example.com/events', method: 'POST', batch_events: true };
  const createSink = (description = 'Analytics') => client.events.v1.sinks.create({ description, sinkConfiguration: webhook, sinkType: 'webhook' });

  /** The test_id of the latest test event owed to the sink, as the sink would have received it. */
  async function lastTestId(sinkSid: string): Promise<string> {
    const events = await outbox.stream(sinkSid);
    return testIdOf(events[events.length - 1]?.data);
  }

  function testIdOf(data: unknown): string {
    const id = typeof data === 'object' && data !== null ? (data as { test_id?: unknown }).test_id : undefined;
    if (typeof id !== 'string') throw new Error(`no test_id in ${JSON.stringify(data)}`);
    return id;
  }

  async function activeSink(description?: string): Promise<string> {
    const sink = await createSink(description);
    await client.events.v1.sinks(sink.sid).sinkTest.create();
    await client.events.v1.sinks(sink.sid).sinkValidate.create({ testId: await lastTestId(sink.sid) });
    return sink.sid;
  }

  async function expectError(res: Response, status: number, code: number, message: RegExp): Promise<void> {
    const body = (await res.json()) as { code: number; message: string; more_info: string; status: number };
    expect({ status: res.status, code: body.code, bodyStatus: body.status }).toEqual({ status, code, bodyStatus: status });
    expect(body.message).toMatch(message);
    expect(body.more_info).toBe(`https://www.twilio.com/docs/errors/${code}`);
  }

  it('creates a webhook sink, sends it a test event and activates it with the test id', async () => {
    const sink = await createSink();
    expect(sink.sid).toMatch(/^DG[0-9a-f]{32}$/);
    expect(sink).toMatchObject({ description: 'Analytics', sinkType: 'webhook', status: 'initialized', sinkConfiguration: webhook });
    expect(sink.dateCreated).toBeInstanceOf(Date);
    expect(sink.url).toBe(`${api.url}/v1/Sinks/${sink.sid}`);
    expect(sink.links).toEqual({ sink_test: `${sink.url}/Test`, sink_validate: `${sink.url}/Validate` });

    const test = await client.events.v1.sinks(sink.sid).sinkTest.create();
    expect(test.result).toBe('submitted');
    expect((await client.events.v1.sinks(sink.sid).fetch()).status).toBe('validating');
    const events = await outbox.stream(sink.sid);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: SINK_TEST_EVENT, subject: sink.sid, source: `/v1/Sinks/${sink.sid}`, sequence: '1' });
    expect(events[0]!.data).toMatchObject({ account_sid: api.account.accountSid, sink_sid: sink.sid, test_id: expect.stringMatching(/\S/) });

    await expect(client.events.v1.sinks(sink.sid).sinkValidate.create({ testId: 'not-the-test-id' })).rejects.toMatchObject({
      status: 400,
      code: 20001,
      message: expect.stringMatching(/TestId.*latest test event/),
    });
    expect((await client.events.v1.sinks(sink.sid).fetch()).status).toBe('validating');

    const valid = await client.events.v1.sinks(sink.sid).sinkValidate.create({ testId: testIdOf(events[0]!.data) });
    expect(valid.result).toBe('valid');
    const active = await client.events.v1.sinks(sink.sid).fetch();
    expect(active.status).toBe('active');

    // Re-testing an active sink keeps it active (its deliveries must not stop) and owes it a second event.
    await client.events.v1.sinks(sink.sid).sinkTest.create();
    expect((await client.events.v1.sinks(sink.sid).fetch()).status).toBe('active');
    expect((await outbox.stream(sink.sid)).map((e) => e.sequence)).toEqual(['1', '2']);

    const renamed = await client.events.v1.sinks(sink.sid).update({ description: 'Warehouse' });
    expect(renamed).toMatchObject({ description: 'Warehouse', status: 'active' });
  });

  it('refuses to validate a sink that was never tested', async () => {
    const sink = await createSink();
    await expect(client.events.v1.sinks(sink.sid).sinkValidate.create({ testId: 'anything' })).rejects.toMatchObject({
      status: 400,
      code: 20001,
      message: expect.stringMatching(/has not been tested: POST \/v1\/Sinks\/DG[0-9a-f]{32}\/Test first/),
    });
  });

  it('subscribes an active sink to the Studio event types and manages them', async () => {
    const sinkSid = await activeSink();
    const otherSink = await activeSink();
    const subscriptions = client.events.v1.subscriptions;
    const created = await subscriptions.create({
      description: 'Studio events',
      sinkSid,
      types: [{ type: EXECUTION_STARTED, schema_version: 2 }, { type: EXECUTION_ENDED }, { type: STEP_ENDED }],
    });
    expect(created.sid).toMatch(/^DF[0-9a-f]{32}$/);
    expect(created).toMatchObject({ accountSid: api.account.accountSid, sinkSid, description: 'Studio events' });
    expect(created.links).toEqual({ subscribed_events: `${api.url}/v1/Subscriptions/${created.sid}/SubscribedEvents` });
    const elsewhere = await subscriptions.create({ description: 'Other', sinkSid: otherSink, types: [{ type: STEP_ENDED }] });
    const json = await api.request('/v1/Subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Description: 'JSON body', SinkSid: otherSink, Types: [{ type: EXECUTION_ENDED }] }),
    });
    expect(json.status).toBe(201);
    const jsonSid = ((await json.json()) as { sid: string }).sid;
    expect((await subscriptions(jsonSid).subscribedEvents.list()).map((t) => [t.type, t.schemaVersion])).toEqual([[EXECUTION_ENDED, 2]]);
    expect(await subscriptions(jsonSid).remove()).toBe(true);

    expect((await subscriptions.list({ sinkSid })).map((s) => s.sid)).toEqual([created.sid]);
    expect((await subscriptions(created.sid).fetch()).description).toBe('Studio events');
    expect((await subscriptions(created.sid).update({ description: 'Renamed' })).description).toBe('Renamed');
    const inUse = (await client.events.v1.sinks.list({ inUse: true })).map((s) => s.sid);
    expect(inUse).toEqual(expect.arrayContaining([sinkSid, otherSink]));

    const types = subscriptions(created.sid).subscribedEvents;
    expect((await types.list()).map((t) => [t.type, t.schemaVersion])).toEqual([
      [EXECUTION_ENDED, 2],
      [EXECUTION_STARTED, 2],
      [STEP_ENDED, 1],
    ]);
    expect(await types(STEP_ENDED).remove()).toBe(true);
    await expect(types(STEP_ENDED).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const added = await types.create({ type: STEP_ENDED });
    expect(added).toMatchObject({ accountSid: api.account.accountSid, type: STEP_ENDED, schemaVersion: 1, subscriptionSid: created.sid });
    expect(added.url).toBe(`${api.url}/v1/Subscriptions/${created.sid}/SubscribedEvents/${STEP_ENDED}`);
    await expect(types.create({ type: STEP_ENDED })).rejects.toMatchObject({ status: 409, code: 20409 });
    expect((await types(STEP_ENDED).update({ schemaVersion: 1 })).schemaVersion).toBe(1);
    await expect(types(STEP_ENDED).update({ schemaVersion: 7 })).rejects.toMatchObject({ status: 400, code: 20001, message: expect.stringMatching(/schema version 1 only/) });
    expect((await types(EXECUTION_STARTED).fetch()).schemaVersion).toBe(2);

    // The client of this version sends only Description on update; SinkSid moves a subscription.
    const moved = await api.request(`/v1/Subscriptions/${elsewhere.sid}`, { method: 'POST', form: { SinkSid: sinkSid } });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { sink_sid: string }).sink_sid).toBe(sinkSid);
    expect((await subscriptions.list({ sinkSid })).map((s) => s.sid).sort()).toEqual([created.sid, elsewhere.sid].sort());
    expect((await client.events.v1.sinks.list({ inUse: false })).map((s) => s.sid)).toContain(otherSink);

    expect(await subscriptions(elsewhere.sid).remove()).toBe(true);
    await expect(subscriptions(elsewhere.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('lists the event types this server emits, with their schemas', async () => {
    const types = await client.events.v1.eventTypes.list();
    expect(types.map((t) => t.type)).toEqual([EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED]);
    const step = await client.events.v1.eventTypes(STEP_ENDED).fetch();
    expect(step).toMatchObject({ type: STEP_ENDED, schemaId: 'Studio.FlowStepEvent', status: 'available', url: `${api.url}/v1/Types/${STEP_ENDED}` });
    expect(step.dateCreated).toBeInstanceOf(Date);
    expect(step.documentationUrl).toMatch(/^https:\/\/www\.twilio\.com\/docs\//);
    expect(step.links).toEqual({ schema: `${api.url}/v1/Schemas/Studio.FlowStepEvent` });
    expect((await client.events.v1.eventTypes.list({ schemaId: 'Studio.FlowExecutionEvent' })).map((t) => t.type)).toEqual([EXECUTION_ENDED, EXECUTION_STARTED]);
    await expect(client.events.v1.eventTypes('com.twilio.messaging.message.sent').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });

    const schema = await client.events.v1.schemas('Studio.FlowExecutionEvent').fetch();
    expect(schema).toMatchObject({ id: 'Studio.FlowExecutionEvent', latestVersion: 2 });
    const versions = await client.events.v1.schemas('Studio.FlowExecutionEvent').versions.list();
    expect(versions.map((v) => [v.schemaVersion, v.raw])).toEqual([[2, 'https://events-schemas.twilio.com/Studio.FlowExecutionEvent/2']]);
    expect((await client.events.v1.schemas('Studio.FlowStepEvent').versions(1).fetch()).schemaVersion).toBe(1);
    await expect(client.events.v1.schemas('Studio.FlowStepEvent').versions(9).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('refuses bad sinks with 20001 and a message saying what is wrong', async () => {
    const sink = (form: Record<string, string>) => api.request('/v1/Sinks', { method: 'POST', form: { Description: 'd', SinkType: 'webhook', SinkConfiguration: JSON.stringify(webhook), ...form } });
    await expectError(await api.request('/v1/Sinks', { method: 'POST', form: { SinkType: 'webhook', SinkConfiguration: JSON.stringify(webhook) } }), 400, 20001, /^Missing required parameter Description$/);
    await expectError(await sink({ SinkConfiguration: '{"destination": ' }), 400, 20001, /SinkConfiguration must be a JSON object/);
    await expectError(await sink({ SinkConfiguration: JSON.stringify({ ...webhook, method: 'GET' }) }), 400, 20001, /method must be POST/);
    await expectError(await sink({ SinkConfiguration: JSON.stringify({ ...webhook, destination: 'ftp://example.com' }) }), 400, 20001, /destination must be an http\(s\) URL/);
    await expectError(await sink({ SinkType: 'kinesis' }), 400, 20001, /SinkType kinesis is not supported: .*webhook sinks only/);
    await expectError(await sink({ SinkType: 'pigeon' }), 400, 20001, /Invalid parameter SinkType/);
    await expectError(await api.request('/v1/Sinks?Status=sleeping'), 400, 20001, /Invalid parameter Status/);
    // Issue 16: a configuration nested 10,000 deep in a key of its own answered 500 (a stored
    // configuration is served back, so it must stay shallow enough to serialize).
    const deep = JSON.stringify({ ...webhook, note: '__DEEP__' }).replace('"__DEEP__"', '['.repeat(10_000) + ']'.repeat(10_000));
    const before = ((await (await api.request('/v1/Sinks?PageSize=100')).json()) as { sinks: unknown[] }).sinks.length;
    await expectError(await sink({ SinkConfiguration: deep }), 400, 20001, /more than 64 levels deep/);
    const asObject = await api.request('/v1/Sinks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"Description":"d","SinkType":"webhook","SinkConfiguration":${deep}}` });
    await expectError(asObject, 400, 20001, /more than 64 levels deep/);
    const list = await api.request('/v1/Sinks?PageSize=100');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { sinks: unknown[] }).sinks).toHaveLength(before);
  });

  it('refuses destinations the egress policy forbids, as Make HTTP Request does, and stores nothing', async () => {
    const sink = (destination: string) => api.request('/v1/Sinks', { method: 'POST', form: { Description: 'egress', SinkType: 'webhook', SinkConfiguration: JSON.stringify({ ...webhook, destination }) } });
    const refused: [string, string][] = [
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is not reachable from this server (linkLocal address)'],
      ['http://[fe80::1]/events', 'fe80::1 is not reachable from this server (linkLocal address)'],
      ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is not reachable from this server (cloud metadata address)'],
      ['http://100.100.100.200/', '100.100.100.200 is not reachable from this server (cloud metadata address)'],
      // Other spellings of the metadata address: IPv4-mapped, one number.
      ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe is not reachable from this server (linkLocal address)'],
      ['https://2852039166/', '169.254.169.254 is not reachable from this server (linkLocal address)'],
      ['http://0.0.0.0:8080/', '0.0.0.0 is not reachable from this server (unspecified address)'],
      ['http://[::]/', ':: is not reachable from this server (unspecified address)'],
      ['http://224.0.0.1/', '224.0.0.1 is not reachable from this server (multicast address)'],
    ];
    for (const [destination, why] of refused) {
      await expectError(await sink(destination), 400, 20001, new RegExp(`^Invalid parameter SinkConfiguration: destination host ${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    await expect(client.events.v1.sinks.create({ description: 'egress', sinkType: 'webhook', sinkConfiguration: { ...webhook, destination: 'http://169.254.169.254/' } })).rejects.toMatchObject({ status: 400, code: 20001 });
    expect((await client.events.v1.sinks.list()).filter((s) => s.description === 'egress')).toEqual([]);
    // Loopback and private ranges are refused only under HTTP_BLOCK_PRIVATE (off here); a name is
    // checked on the addresses it resolves to, when events are delivered.
    for (const destination of ['http://127.0.0.1:9/events', 'http://10.1.2.3/events', 'https://metadata.example.com/']) expect((await sink(destination)).status).toBe(201);
  });

  it('refuses bad subscriptions: unknown types, untested sinks, malformed types', async () => {
    const sinkSid = await activeSink();
    const untested = (await createSink()).sid;
    const subscribe = (sink: string, ...types: string[]) => api.request('/v1/Subscriptions', { method: 'POST', form: { Description: 'd', SinkSid: sink, Types: types } });
    const started = JSON.stringify({ type: EXECUTION_STARTED });

    await expectError(
      await subscribe(sinkSid, JSON.stringify({ type: 'com.twilio.messaging.message.sent' })),
      400,
      20001,
      new RegExp(`unknown event type com.twilio.messaging.message.sent; the types this server emits are ${EXECUTION_ENDED}, ${EXECUTION_STARTED}, ${STEP_ENDED}`),
    );
    await expectError(await subscribe(untested, started), 400, 20001, /is initialized, not active: send it a test event \(POST \/v1\/Sinks\/DG[0-9a-f]{32}\/Test\), then validate it/);
    await expectError(await subscribe(`DG${'0'.repeat(32)}`, started), 400, 20001, /Invalid parameter SinkSid: there is no sink/);
    await expectError(await subscribe(sinkSid, started, started), 400, 20001, /listed more than once/);
    await expectError(await subscribe(sinkSid, 'execution.started'), 400, 20001, /^Invalid parameter Types: entry 1 is not JSON like \{"type": /);
    await expectError(await subscribe(sinkSid, JSON.stringify({ type: EXECUTION_STARTED, schema_version: 1 })), 400, 20001, /schema version 2 only, not 1/);
    await expectError(await api.request('/v1/Subscriptions', { method: 'POST', form: { Description: 'd', SinkSid: sinkSid } }), 400, 20001, /^Missing required parameter Types$/);
    await expect(client.events.v1.subscriptions.create({ description: 'd', sinkSid: untested, types: [{ type: STEP_ENDED }] })).rejects.toMatchObject({ status: 400, code: 20001 });
  });

  it('answers 404 (20404) for unknown and malformed SIDs', async () => {
    const sink = `DG${'0'.repeat(32)}`;
    const subscription = `DF${'0'.repeat(32)}`;
    await expect(client.events.v1.sinks(sink).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.sinks('DGnope').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.sinks(sink).update({ description: 'x' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.sinks(sink).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.sinks(sink).sinkTest.create()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.sinks(sink).sinkValidate.create({ testId: 'x' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription).update({ description: 'x' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription).subscribedEvents.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription).subscribedEvents.create({ type: STEP_ENDED })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(sink).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('deletes a sink with its subscriptions', async () => {
    const sinkSid = await activeSink();
    const subscription = await client.events.v1.subscriptions.create({ description: 'd', sinkSid, types: [{ type: STEP_ENDED }] });
    expect(await client.events.v1.sinks(sinkSid).remove()).toBe(true);
    await expect(client.events.v1.sinks(sinkSid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.events.v1.subscriptions(subscription.sid).subscribedEvents.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await client.events.v1.subscriptions.list({ sinkSid })).toEqual([]);
  });

  it('pages past the first page and keeps the filters on the next pages', async () => {
    const fresh = new Set<string>();
    for (let i = 0; i < 5; i++) fresh.add((await createSink(`paged ${i}`)).sid);
    const active = await activeSink('paged active');

    const initialized = await client.events.v1.sinks.list({ status: 'initialized', pageSize: 2 });
    expect(initialized.every((s) => s.status === 'initialized')).toBe(true);
    expect(initialized.filter((s) => fresh.has(s.sid))).toHaveLength(5);
    expect(new Set(initialized.map((s) => s.sid)).size).toBe(initialized.length);
    expect(initialized.map((s) => s.sid)).not.toContain(active);

    const first = await client.events.v1.sinks.page({ status: 'initialized', pageSize: 2 });
    expect(first.instances).toHaveLength(2);
    const second = await first.nextPage();
    expect(second?.instances).toHaveLength(2);
    expect(second?.instances.every((s) => s.status === 'initialized')).toBe(true);
    expect(second?.instances.map((s) => s.sid)).not.toContain(first.instances[0]!.sid);

    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await client.events.v1.subscriptions.create({ description: `s${i}`, sinkSid: active, types: [{ type: STEP_ENDED }] })).sid);
    const listed = await client.events.v1.subscriptions.list({ sinkSid: active, pageSize: 2 });
    expect(listed.map((s) => s.sid)).toEqual([...made].sort());

    const res = await api.request('/v1/Sinks?PageSize=1');
    const body = (await res.json()) as { meta: { key: string; page_size: number; next_page_url: string | null }; sinks: unknown[] };
    expect(body.meta).toMatchObject({ key: 'sinks', page_size: 1, next_page_url: expect.stringContaining(`${api.url}/v1/Sinks?PageSize=1&Page=1&PageToken=PT`) });
    expect(body.sinks).toHaveLength(1);
  });

  it('answers 401 (20003) without credentials or with a wrong token', async () => {
    const res = await fetch(`${api.url}/v1/Sinks`);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectError(res, 401, 20003, /Authentication Error/);
    await expectError(await fetch(`${api.url}/v1/Types`), 401, 20003, /Authentication Error/);
    const wrong = localTwilioClient(api.url, api.account.accountSid, 'not-the-token');
    await expect(wrong.events.v1.subscriptions.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });
});

describe('the Events API under HTTP_BLOCK_PRIVATE', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ httpBlockPrivate: true });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses loopback and private destinations too, as Make HTTP Request does', async () => {
    const sink = (destination: string) =>
      api.request('/v1/Sinks', { method: 'POST', form: { Description: 'd', SinkType: 'webhook', SinkConfiguration: JSON.stringify({ destination, method: 'POST', batch_events: true }) } });
    for (const [destination, range] of [['http://127.0.0.1:3000/', 'loopback'], ['http://[::1]/', 'loopback'], ['http://10.1.2.3/', 'private'], ['http://[fd12::1]/', 'uniqueLocal'], ['http://100.64.0.1/', 'carrierGradeNat']]) {
      const res = await sink(destination!);
      const body = (await res.json()) as { code: number; message: string };
      expect({ status: res.status, code: body.code }).toEqual({ status: 400, code: 20001 });
      expect(body.message).toContain(`is not reachable from this server (${range} address; HTTP_BLOCK_PRIVATE is set)`);
    }
    expect((await sink('https://example.com/events')).status).toBe(201);
  });
});
