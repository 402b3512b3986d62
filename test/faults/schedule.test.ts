import { temporalScheduleId } from '../../src/services/schedules';
import { flowOf, triggerState } from '../helpers/flows';
import { useCluster } from '../helpers/cluster';
import { eventually } from '../helpers/messaging';
import { recordFigures, say } from './fault-kit';

interface Run {
  scheduled_at: string;
  reason: string | null;
  started_at: string;
  execution_sid: string | null;
  outcome: string;
}

const MINUTE = 60_000;
/** "On time": a run begins within this of its due time (a worker's poll and one activity). */
const ON_TIME_MS = 10_000;

/**
 * Issue 23's acceptance for schedules, on the production shape (Temporal's own server on
 * PostgreSQL, an API process, a worker): a schedule every minute fires on time three times in
 * a row; everything is restarted across a due time — the missed run is made up once, and the
 * next is on time again; paused, it fires no more.
 */
describe('a schedule every minute through a restart of everything', () => {
  const c = useCluster({ apis: 1, workers: 1 });
  const TO = '+16285550123';
  const request = (path: string, init: { method?: string; form?: Record<string, string> } = {}) =>
    fetch(`${c().apiUrls[0]}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers: { authorization: `Basic ${Buffer.from(`${c().account.accountSid}:${c().account.authToken}`).toString('base64')}` },
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const nextMinute = (t: number) => Math.ceil(t / MINUTE) * MINUTE;

  it('fires on time 3 times, makes up the run missed while everything was down, fires on time after, and stops when paused', async () => {
    const flow = (await c().client(0).studio.v2.flows.create({ friendlyName: 'every minute', status: 'published', definition: flowOf(triggerState({ incomingRequest: 'hi' }), say('hi', 'Tick {{flow.data.n}}')) })).sid;
    const created = await request(`/v2/Flows/${flow}/Schedules`, { form: { Cron: '* * * * *', From: '+15005550006', To: TO, Parameters: JSON.stringify({ n: 1 }) } });
    expect(created.status).toBe(201);
    const { sid } = (await created.json()) as { sid: string };
    const runs = async () => ((await (await request(`/v2/Flows/${flow}/Schedules/${sid}/Runs`)).json()) as { runs: Run[] }).runs.slice().reverse();
    // A timeout names what was seen, and what Temporal's Schedule says: a failure here is read from the log.
    let seen: Run[] = [];
    const settled = (n: number, ms: number) => eventually(`${n} settled runs`, async () => {
      seen = await runs().catch(() => seen);
      return seen.length >= n && seen.every((r) => r.outcome !== 'starting') ? seen : undefined;
    }, ms).catch(async (err: Error) => {
      const described = await c().temporal.schedule.getHandle(temporalScheduleId(sid)).describe().catch((e: Error) => e.message);
      const info = typeof described === 'string' ? described : { ...described.info, state: described.state };
      // Logged whole as well: a CI summary may cut a long error message short.
      const tail = (text: string | undefined) => (text ?? '').split('\n').slice(-15).join('\n');
      console.log(`schedule fault: ${err.message}\nruns ${JSON.stringify(seen)}\nTemporal's schedule ${JSON.stringify(info)}\nworker: ${tail(c().workers[0]?.output())}\nAPI: ${tail(c().api(0)?.output())}`);
      throw new Error(`${err.message}: runs ${JSON.stringify(seen)}; Temporal's schedule ${JSON.stringify(info)}`);
    });
    const lateness = (r: Run) => Date.parse(r.started_at) - Date.parse(r.scheduled_at);

    // Three in a row, each on its minute and on time.
    const first = await settled(3, 4 * MINUTE);
    const dueTimes = first.map((r) => Date.parse(r.scheduled_at));
    expect(dueTimes.map((t) => t % MINUTE)).toEqual([0, 0, 0]);
    expect(dueTimes.slice(1).map((t, i) => t - dueTimes[i]!)).toEqual([MINUTE, MINUTE]);
    expect(first.map((r) => r.outcome)).toEqual(['started', 'started', 'started']);
    expect(first.every((r) => lateness(r) < ON_TIME_MS)).toBe(true);
    // The third execution done (its message sent) before the outage: the made-up run finds the contact free.
    await eventually('three ticks', () => Promise.resolve(c().standIn.messages.filter((m) => m.to === TO).length >= 3 ? true : undefined), 30_000);
    await sleep(2_000);

    // Everything down across the next due time: the worker and the API killed, Temporal's server
    // killed and, while it is down, PostgreSQL restarted; all back 15 s after that due time.
    const missedDue = nextMinute(Date.now() + 5_000);
    await c().stopWorker(c().workers[0]!, 'SIGKILL');
    await c().stopApi(0, 'SIGKILL');
    const temporalBack = c().restartTemporal('SIGKILL', missedDue + 15_000 - Date.now());
    await sleep(2_000);
    await c().restartPostgres(2_000);
    await temporalBack;
    await c().startApi(0);
    await c().startWorker();
    const downMs = Date.now() - (missedDue - 15_000);

    // The missed run made up once (late), then the next due one on time.
    const after = await settled(5, 3 * MINUTE);
    const [madeUp, next] = after.slice(3);
    expect(Date.parse(madeUp!.scheduled_at)).toBe(missedDue);
    expect(Date.parse(next!.scheduled_at)).toBe(missedDue + MINUTE);
    expect(lateness(next!)).toBeLessThan(ON_TIME_MS);
    expect(after.map((r) => [r.outcome, r.reason])).toEqual(Array.from({ length: 5 }, () => ['started', null]));

    // Paused: past the next due time, nothing runs.
    const paused = await request(`/v2/Flows/${flow}/Schedules/${sid}`, { form: { Status: 'paused' } });
    expect(((await paused.json()) as { status: string }).status).toBe('paused');
    const quietUntil = nextMinute(Date.now()) + 15_000;
    await sleep(quietUntil - Date.now());
    const whilePaused = await runs();
    expect(whilePaused).toHaveLength(5);

    // One message per run, none twice: five runs, five ticks.
    const ticks = c().standIn.messages.filter((m) => m.to === TO);
    expect(ticks).toHaveLength(5);
    const executions = new Set(after.map((r) => r.execution_sid));
    expect(executions.size).toBe(5);
    recordFigures('schedule', { runs: 5, latenessMs: after.map(lateness).join('/'), downMs, madeUpLateMs: lateness(madeUp!), runsWhilePaused: whilePaused.length - 5, messages: ticks.length });
  }, 15 * MINUTE);
});
