import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { DEFAULT_EXECUTION_LIMITS } from '../../src/limits/execution';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';

const send = (name: string, body: string): FlowState => ({ name, type: 'send-message', properties: { from: '{{flow.channel.address}}', body }, transitions: [{ event: 'sent' }, { event: 'failed' }] });
const ask = (name: string, body: string, next: string): FlowState => ({
  name,
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body, timeout: '3600' },
  transitions: [{ event: 'incomingMessage', next }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});
const match = (value: string, next: string) => ({ event: 'match', next, conditions: [{ friendly_name: value, arguments: ['{{trigger.message.Body}}'], type: 'equal_to', value }] });

/** Revision 1: "a" is asked at `ask_a`, "b" at `ask_b`; each reply is thanked. */
function revision1(): FlowDefinition {
  return flowOf(
    triggerState({ incomingMessage: 'route' }),
    { name: 'route', type: 'split-based-on', properties: { input: '{{trigger.message.Body}}' }, transitions: [{ event: 'noMatch' }, match('a', 'ask_a'), match('b', 'ask_b')] },
    ask('ask_a', 'Question A?', 'thanks_a'),
    ask('ask_b', 'Question B?', 'thanks_b'),
    send('thanks_a', 'Thanks A (v1)'),
    send('thanks_b', 'Thanks B (v1)'),
  );
}

/** Revision 2 renames `ask_a` to `ask_first` and rewords `ask_b`, whose reply now goes to a new thank-you. */
function revision2(): FlowDefinition {
  return flowOf(
    triggerState({ incomingMessage: 'route' }),
    { name: 'route', type: 'split-based-on', properties: { input: '{{trigger.message.Body}}' }, transitions: [{ event: 'noMatch' }, match('a', 'ask_first'), match('b', 'ask_b')] },
    ask('ask_first', 'Question A?', 'thanks_a'),
    ask('ask_b', 'Question B, reworded?', 'thanks_b2'),
    send('thanks_a', 'Thanks A (v1)'),
    send('thanks_b2', 'Thanks B (v2)'),
  );
}

interface Plan {
  to_revision: number;
  mappable: number;
  unmappable: number;
  groups: Array<{ from_revision: number; widget: string; widget_type: string | null; executions: number; mappable: boolean; to_widget: string | null; reason: string | null }>;
}
interface Migration {
  sid: string;
  status: string;
  total: number;
  created_by: string;
  counts: Record<'pending' | 'migrated' | 'already' | 'refused' | 'failed', number>;
  to_revision: number;
  links: { executions: string };
}
interface Outcome {
  execution_sid: string;
  status: string;
  reason: string | null;
  widget: string;
}

/**
 * Issue 22's acceptance: 200 contacts wait on revision 1, 100 at each of two widgets; revision 2
 * renames one and rewords the other. The dry run finds 100 mappable and 100 not (with the reason);
 * the migration moves the 100, some racing their own reply; every reply is answered once, through
 * revision 2's widgets where the execution moved and revision 1's where it had already moved on.
 */
describe('migrating waiting executions to a new revision', () => {
  let rig: MessagingRig;
  let flow: string;
  const PER_WIDGET = 100;
  const RACING = 10;
  const contact = (widget: 'a' | 'b', i: number) => `+1555${widget === 'a' ? '1' : '2'}${String(i).padStart(6, '0')}`;
  const inbox = async (address: string) => ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(address)}&PageSize=100`)).json()) as { messages: Array<{ body: string; direction: string }> }).messages;
  const sent = async (address: string) => (await inbox(address)).filter((m) => m.direction !== 'inbound').map((m) => m.body);
  const plan = async () => (await (await rig.api.request(`/v2/Flows/${flow}/Migrations`)).json()) as Plan;
  let migration: Migration;
  let outcomes: Outcome[];
  const executionOf = new Map<string, string>();

  beforeAll(async () => {
    rig = await startMessagingRig({ limits: { execution: { ...DEFAULT_EXECUTION_LIMITS, maxNewInboundExecutionsPerSecond: 10_000 } } });
    flow = await rig.publish(revision1());
    for (let i = 0; i < PER_WIDGET; i++) {
      expect((await rig.text(flow, contact('a', i), 'a')).status).toBe(200);
      expect((await rig.text(flow, contact('b', i), 'b')).status).toBe(200);
    }
    // Waiting, as visibility sees it: every execution has settled at its question.
    await eventually('200 executions listed', async () => ((await listExecutions()).length === 2 * PER_WIDGET ? true : undefined), 60_000);
    await localTwilioClient(rig.api.url, rig.account.accountSid, rig.account.authToken).studio.v2.flows(flow).update({ status: 'published', definition: revision2(), commitMessage: 'rename ask_a, reword ask_b' });
    await eventually('the dry run sees all 200 waiting', async () => {
      const p = await plan();
      return p.mappable + p.unmappable === 2 * PER_WIDGET && p.groups.every((g) => g.widget !== '') ? true : undefined;
    }, 60_000);
  }, 240_000);
  afterAll(async () => {
    await rig?.close();
  });

  async function listExecutions(): Promise<Array<{ sid: string; contact_channel_address: string }>> {
    const page = (await (await rig.api.request(`/v2/Flows/${flow}/Executions?PageSize=1000`)).json()) as { executions: Array<{ sid: string; contact_channel_address: string }> };
    return page.executions;
  }

  it('dry run: 100 mappable at the reworded widget, 100 unmappable at the renamed one, with the reason', async () => {
    const p = await plan();
    expect(p.to_revision).toBe(2);
    expect([p.mappable, p.unmappable]).toEqual([PER_WIDGET, PER_WIDGET]);
    expect(p.groups).toEqual([
      { from_revision: 1, widget: 'ask_a', widget_type: 'send-and-wait-for-reply', executions: PER_WIDGET, mappable: false, to_widget: null, reason: 'revision 2 has no widget named "ask_a" (renamed or removed)' },
      { from_revision: 1, widget: 'ask_b', widget_type: 'send-and-wait-for-reply', executions: PER_WIDGET, mappable: true, to_widget: 'ask_b', reason: null },
    ]);
  });

  it('refuses without the account’s credentials, and refuses a group with nothing to move', async () => {
    expect((await fetch(`${rig.api.url}/v2/Flows/${flow}/Migrations`)).status).toBe(401);
    expect((await fetch(`${rig.api.url}/v2/Flows/${flow}/Migrations`, { method: 'POST' })).status).toBe(401);
    const unmappable = await rig.api.request(`/v2/Flows/${flow}/Migrations`, { method: 'POST', form: { Widget: 'ask_a' } });
    expect(unmappable.status).toBe(400);
    expect(((await unmappable.json()) as { message: string }).message).toMatch(/^Nothing to migrate/);
  });

  it('migrates the mappable group while some of its contacts reply; nothing is sent by the migration itself', async () => {
    for (const e of await listExecutions()) executionOf.set(e.contact_channel_address, e.sid);
    const created = await rig.api.request(`/2010-04-01/Accounts/${rig.account.accountSid}/Keys.json`, { method: 'POST', form: { FriendlyName: 'migrations' } });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { sid: string; secret: string };
    // The racing contacts reply at the moment the migration starts.
    const racing = Array.from({ length: RACING }, (_, i) => rig.text(flow, contact('b', i), 'yes'));
    // Started with an API key: the record names the key.
    const started = await rig.api.request(`/v2/Flows/${flow}/Migrations`, { method: 'POST', form: { FromRevision: '1', Widget: 'ask_b' }, headers: { authorization: `Basic ${Buffer.from(`${key.sid}:${key.secret}`).toString('base64')}` } });
    expect(started.status).toBe(201);
    migration = (await started.json()) as Migration;
    expect(migration).toMatchObject({ total: PER_WIDGET, to_revision: 2, created_by: key.sid });
    for (const r of await Promise.all(racing)) expect(r.status).toBe(200);
    migration = await eventually('the migration to finish', async () => {
      const m = (await (await rig.api.request(`/v2/Flows/${flow}/Migrations/${migration.sid}`)).json()) as Migration;
      return m.status === 'completed' ? m : undefined;
    }, 60_000);
    process.stdout.write(`migration figures: ${JSON.stringify({ waiting: 2 * PER_WIDGET, total: migration.total, racing: RACING, ...migration.counts })}\n`);
    outcomes = ((await (await rig.api.request(`/v2/Flows/${flow}/Migrations/${migration.sid}/Executions`)).json()) as { executions: Outcome[] }).executions;
    expect(outcomes).toHaveLength(PER_WIDGET);
    expect(migration.counts.pending + migration.counts.failed + migration.counts.already).toBe(0);
    expect(migration.counts.migrated + migration.counts.refused).toBe(PER_WIDGET);
    // Only a racing contact can have moved on before its migration.
    const racingSids = new Set(Array.from({ length: RACING }, (_, i) => executionOf.get(contact('b', i))));
    for (const o of outcomes.filter((x) => x.status === 'refused')) {
      expect(racingSids.has(o.execution_sid)).toBe(true);
      expect(o.reason).toMatch(/^Not migrated: it (moved on|has ended)/);
    }
    // The contacts who did not reply were sent nothing but the question.
    for (let i = RACING; i < PER_WIDGET; i++) expect(await sent(contact('b', i))).toEqual(['Question B?']);
  });

  it('answers each reply once: through revision 2 where the execution moved, revision 1 where it had moved on', async () => {
    for (let i = RACING; i < PER_WIDGET; i++) expect((await rig.text(flow, contact('b', i), 'yes')).status).toBe(200);
    for (let i = 0; i < PER_WIDGET; i++) expect((await rig.text(flow, contact('a', i), 'yes')).status).toBe(200);
    const statusOf = new Map(outcomes.map((o) => [o.execution_sid, o.status]));
    for (let i = 0; i < PER_WIDGET; i++) {
      const migrated = statusOf.get(executionOf.get(contact('b', i))!) === 'migrated';
      const thanks = migrated ? 'Thanks B (v2)' : 'Thanks B (v1)';
      await eventually(`the thanks to ${contact('b', i)}`, async () => ((await sent(contact('b', i))).length >= 2 ? true : undefined));
      expect(await sent(contact('b', i))).toEqual([thanks, 'Question B?']);
      await eventually(`the thanks to ${contact('a', i)}`, async () => ((await sent(contact('a', i))).length >= 2 ? true : undefined));
      expect(await sent(contact('a', i))).toEqual(['Thanks A (v1)', 'Question A?']);
    }
    expect(migration.counts.migrated).toBeGreaterThanOrEqual(PER_WIDGET - RACING);
  });

  it('records the switch as a step, and insights count the moved executions for revision 2', async () => {
    const moved = outcomes.find((o) => o.status === 'migrated')!;
    const steps = ((await (await rig.api.request(`/v2/Flows/${flow}/Executions/${moved.execution_sid}/Steps`)).json()) as { steps: Array<{ name: string; transitioned_from: string; transitioned_to: string; migration?: unknown }> }).steps;
    expect(steps.map((s) => [s.transitioned_from, s.name, s.transitioned_to])).toEqual([
      ['Trigger', 'incomingMessage', 'route'],
      ['route', 'match', 'ask_b'],
      ['ask_b', 'migrated', 'ask_b'],
      ['ask_b', 'incomingMessage', 'thanks_b2'],
      ['thanks_b2', 'sent', 'Ended'],
    ]);
    expect(steps.find((s) => s.name === 'migrated')!.migration).toEqual({ migration_sid: migration.sid, from_revision: 1, to_revision: 2 });
    const widgets = await eventually('the insights of revision 2', async () => {
      const body = (await (await rig.api.request(`/v2/Flows/${flow}/Insights/Widgets?Revision=2`)).json()) as { widgets: Array<{ widget: string; reached: number }> };
      const thanks = body.widgets.find((w) => w.widget === 'thanks_b2');
      return thanks?.reached === migration.counts.migrated ? body.widgets : undefined;
    });
    expect(widgets.find((w) => w.widget === 'thanks_b2')!.reached).toBe(migration.counts.migrated);
  });

  it('keeps the record: who, when, what; and a repeat moves nothing twice', async () => {
    const runs = ((await (await rig.api.request(`/v2/Flows/${flow}/Migrations/Runs`)).json()) as { migrations: Migration[] }).migrations;
    expect(runs.map((r) => [r.sid, r.created_by, r.status])).toEqual([[migration.sid, migration.created_by, 'completed']]);
    expect(migration.created_by).toMatch(/^SK[0-9a-f]{32}$/);
    const again = await rig.api.request(`/v2/Flows/${flow}/Migrations`, { method: 'POST', form: { FromRevision: '1', Widget: 'ask_b' } });
    // The executions it moved are on revision 2 (or ended): none is waiting in revision 1 at ask_b.
    expect(again.status).toBe(400);
    expect((await plan()).groups.filter((g) => g.widget === 'ask_b')).toEqual([]);
  });
});
