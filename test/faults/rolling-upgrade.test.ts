import type { temporal } from '@temporalio/proto';
import { ExecutionService } from '../../src/services/executions';
import { useCluster } from '../helpers/cluster';
import { flowOf, triggerState } from '../helpers/flows';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { waitFor } from '../helpers/processes';
import { BUILD_B_CHANGE, workerBuild } from '../helpers/worker-build';
import { ask, recordFigures, say } from './fault-kit';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Point 4 of the production shape: executions parked on build A, every worker replaced by build
 * B whose interpreter schedules a command A never did (a timer before each send). Unguarded, the
 * parked executions cannot replay (the control); behind `patched()` — the engine's
 * BehaviourChange mechanism — they replay as they ran, take B's behaviour from then on, and all
 * finish. On the cluster: Temporal's server on PostgreSQL, two API processes, workers replaced.
 */
describe('rolling upgrade: build A → build B with every worker replaced while executions wait', () => {
  const cluster = useCluster({ apis: 2, workers: 2 });
  const builds: { remove(): void }[] = [];
  afterAll(() => builds.forEach((b) => b.remove()));

  const events = async (workflowId: string): Promise<HistoryEvent[]> => (await cluster().temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const failedTasks = (history: HistoryEvent[]) => history.filter((e) => e.workflowTaskFailedEventAttributes).map((e) => e.workflowTaskFailedEventAttributes!.failure?.message ?? '');
  /** How often B's change ran: its patch markers, and its 1 ms timers (Send & Wait's own timeout is a timer too). */
  const markers = (history: HistoryEvent[]) =>
    history.filter((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.some((p) => (JSON.parse(Buffer.from(p.data ?? []).toString()) as { id?: string }).id === BUILD_B_CHANGE)).length;
  const timers = (history: HistoryEvent[]) => history.filter((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.nanos ?? 0) === 1_000_000 && Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) === 0).length;
  const sentTo = (to: string) => cluster().standIn.messages.filter((m) => m.to === to).map((m) => m.body);

  it('parks 20 executions on A, and after B replaced every worker all of them finish with B’s behaviour from then on', async () => {
    const c = cluster();
    const definition = flowOf(triggerState({ incomingMessage: 'name' }), ask('name', 'Your name?', 'thanks'), say('thanks', 'Thanks {{widgets.name.inbound.Body}}'));
    const flow = (await c.client(0).studio.v2.flows.create({ friendlyName: 'upgrade', status: 'published', definition })).sid;
    const base = 1000 + Math.floor(Math.random() * 8000);
    const contacts = Array.from({ length: 20 }, (_, i) => `+1628${base}${String(200 + i)}`);
    const text = (contact: string, i: number, body: string) => postInboundMessage(c.webhook(flow, i % 2), c.account.authToken, { From: contact, To: '+15005550006', Body: body });
    const [control, ...parked] = contacts as [string, ...string[]];

    // Build A: every execution asks and parks.
    const firsts = await Promise.all(contacts.map((contact, i) => text(contact, i, 'hi')));
    expect(firsts.map((r) => r.status)).toEqual(contacts.map(() => 200));
    await waitFor('every question sent by build A', () => Promise.resolve(contacts.every((to) => sentTo(to).length === 1) ? true : undefined), 60_000);

    // The control: B without the mechanism, alone. The control contact's reply cannot replay.
    const unguarded = await workerBuild('unguarded');
    const guarded = await workerBuild('guarded');
    builds.push(unguarded, guarded);
    for (const worker of [...c.workers]) await c.stopWorker(worker, 'SIGTERM');
    const wrong = await c.startWorker({ entry: unguarded.entry });
    expect((await text(control, 0, 'Ada')).status).toBe(200);
    const controlId = ExecutionService.workflowId(flow, control);
    const nondeterminism = await waitFor('the control to fail its workflow task', async () => {
      const failures = failedTasks(await events(controlId));
      return failures.length > 0 ? failures : undefined;
    }, 60_000);
    expect(nondeterminism[0]).toMatch(/nondetermin/i);
    expect(sentTo(control)).toEqual(['Your name?']);
    await c.stopWorker(wrong, 'SIGKILL');

    // Build B with the change behind patched(): two workers, no worker of A left.
    const upgradedAt = Date.now();
    for (let i = 0; i < 2; i++) await c.startWorker({ entry: guarded.entry });
    const replies = await Promise.all(parked.map((contact, i) => text(contact, i + 1, `Name${i}`)));
    expect(replies.map((r) => r.status)).toEqual(parked.map(() => 200));
    // A new contact after the deploy starts on B.
    const fresh = `+1628${base}${String(299)}`;
    expect((await text(fresh, 1, 'hi')).status).toBe(200);

    await waitFor('every parked execution to finish on B', () => Promise.resolve(parked.every((to) => sentTo(to).length === 2) && sentTo(control).length === 2 ? true : undefined), 120_000);
    for (const [i, contact] of parked.entries()) {
      expect(sentTo(contact)).toEqual(['Your name?', `Thanks Name${i}`]);
      const history = await events(ExecutionService.workflowId(flow, contact));
      // Replayed as A ran it (no marker, no timer before the question), then B's behaviour: one
      // marker and one timer, before the thanks.
      expect(failedTasks(history)).toEqual([]);
      expect([markers(history), timers(history)]).toEqual([1, 1]);
      const marker = history.findIndex((e) => markers([e]) === 1);
      const question = history.findIndex((e) => e.activityTaskScheduledEventAttributes);
      expect(marker).toBeGreaterThan(question);
    }
    // The control recovered once B arrived: its task was retried on B and replayed.
    expect(sentTo(control)).toEqual(['Your name?', 'Thanks Ada']);
    expect(failedTasks(await events(controlId)).every((m) => /nondetermin/i.test(m))).toBe(true);
    // B's new execution has B's behaviour from its first send.
    await waitFor('the question to the new contact', () => Promise.resolve(sentTo(fresh).length === 1 ? true : undefined), 30_000);
    const freshHistory = await events(ExecutionService.workflowId(flow, fresh));
    expect([markers(freshHistory), timers(freshHistory)]).toEqual([1, 1]);
    const results = await Promise.all(parked.map((contact) => c.temporal.workflow.getHandle(ExecutionService.workflowId(flow, contact)).describe()));
    expect(results.map((d) => d.status.name)).toEqual(parked.map(() => 'COMPLETED'));
    const sent = c.standIn.messages.filter((m) => contacts.includes(m.to)).length;
    recordFigures('U1 rolling upgrade', { parked: contacts.length, change: BUILD_B_CHANGE, controlFailedTasks: nondeterminism.length, finishedOnB: parked.length + 1, messages: sent, duplicates: sent - 2 * contacts.length, ms_after_deploy: Date.now() - upgradedAt });
    expect(sent).toBe(2 * contacts.length);
  }, 420_000);
});
