import { randomBytes } from 'node:crypto';
import type { FlowDefinition } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { useCluster } from '../helpers/cluster';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { ask, recordFigures, say, timed } from './fault-kit';

/**
 * The faults of processes.test.ts and temporal-restart.test.ts, and PostgreSQL's restart (F9), on
 * the production shape: PostgreSQL (the store and Temporal's persistence and visibility),
 * Temporal's own server on it, two API processes, two workers. After each fault the invariant is
 * checked exactly: every accepted message reached one execution once, every execution finished
 * with the right answer and no failed workflow task, the stand-in received exactly the messages
 * the executions sent.
 */
describe('faults on the cluster: PostgreSQL, Temporal server, 2 API processes, 2 workers', () => {
  // A dead process's inbound claim is taken over after 5 s (30 s by default) to keep the suite short.
  const c = useCluster({ apis: 2, workers: 2, synchronousCommit: true, env: { INBOUND_CLAIM_LEASE_MS: '5000' } });
  const FROM = '+15005550006';
  let serial = 0;
  const contacts = (n: number) => {
    const base = 1000 + Math.floor(Math.random() * 8000);
    const area = 600 + serial++;
    return Array.from({ length: n }, (_, i) => `+1${String(area)}${String(base)}${String(100 + i)}`);
  };
  const newSid = () => `SM${randomBytes(16).toString('hex')}`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const publish = async (name: string, definition: FlowDefinition) => (await c().client(0).studio.v2.flows.create({ friendlyName: name, status: 'published', definition })).sid;
  const text = (flow: string, from: string, body: string, sid: string, api: number) => postInboundMessage(c().webhook(flow, api), c().account.authToken, { From: from, To: FROM, Body: body, MessageSid: sid });
  const restStart = (flow: string, to: string, api: number, token?: string) =>
    fetch(`${c().apiUrls[api]}/v2/Flows/${flow}/Executions`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${c().account.accountSid}:${c().account.authToken}`).toString('base64')}`, ...(token ? { 'i-twilio-idempotency-token': token } : {}) },
      body: new URLSearchParams({ To: to, From: FROM }),
    });
  const sentTo = (to: string) => c().standIn.messages.filter((m) => m.to === to).map((m) => m.body);
  const untilSent = (what: string, to: readonly string[], n: number, ms = 90_000) => eventually(what, () => Promise.resolve(to.every((x) => sentTo(x).length >= n) ? true : undefined), ms);
  const handle = (flow: string, to: string) => c().temporal.workflow.getHandle(ExecutionService.workflowId(flow, to));
  /** The answers of an ask → say flow, exactly: a message lost, doubled or taken twice shows here. */
  const expectAnswered = (to: readonly string[], question: string, answer: (x: string) => string, note: (x: string) => object = () => ({})) => {
    for (const x of to) expect({ contact: x, ...note(x), sent: sentTo(x) }).toEqual({ contact: x, ...note(x), sent: [question, answer(x)] });
  };

  /** Runs `fn` over `items`, `n` at a time. */
  async function pool<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }));
    return results;
  }

  /** Workflow tasks that failed (a nondeterministic replay would) and executions not completed, over the contacts' workflows. */
  async function settled(flow: string, to: readonly string[]): Promise<{ failedTasks: number; notCompleted: string[] }> {
    let failedTasks = 0;
    const notCompleted: string[] = [];
    await pool(to, 8, async (x) => {
      // The newest run of the contact's workflow (a second execution started by a doubled message would be it), once it stops running.
      const status = await eventually(`${x} no longer running`, async () => {
        const name = (await handle(flow, x).describe()).status.name;
        return name === 'RUNNING' ? undefined : name;
      }, 30_000).catch(() => 'RUNNING');
      if (status !== 'COMPLETED') notCompleted.push(x);
      const events = (await handle(flow, x).fetchHistory()).events ?? [];
      failedTasks += events.filter((e) => e.workflowTaskFailedEventAttributes).length;
    });
    return { failedTasks, notCompleted };
  }

  /** Posts again, as Twilio retries, until answered 2xx: a 5xx in Twilio's error shape is asked again, anything else fails. */
  async function untilAccepted(what: string, post: () => Promise<Response>, timeoutMs = 60_000): Promise<{ status: number; body: unknown; attempts: number }> {
    const deadline = Date.now() + timeoutMs;
    for (let attempts = 1; ; attempts++) {
      const r = await timed(post);
      if (r.status >= 200 && r.status < 300) return { ...r, attempts };
      expect({ what, status: r.status >= 500 ? '5xx' : r.status, body: r.body }).toMatchObject({ what, status: '5xx', body: { status: r.status, code: expect.any(Number), message: expect.any(String) } });
      if (Date.now() > deadline) throw new Error(`${what}: still ${r.status} after ${attempts} attempts`);
      await sleep(500);
    }
  }

  // A fault that failed leaves no cascade: each starts with both API processes and two workers.
  beforeEach(async () => {
    for (const api of [0, 1]) if (c().api(api)?.child.exitCode !== null || c().api(api)?.child.signalCode !== null) await c().startApi(api);
    while (c().workers.length < 2) await c().startWorker();
  }, 120_000);

  /** For a contact sent more than its flow sends, prints each run of its workflow with the messages it was signalled (why it doubled). */
  async function printRuns(flow: string, to: readonly string[]) {
    for (const x of to.filter((y) => sentTo(y).length > 2)) {
      for await (const run of c().temporal.workflow.list({ query: `WorkflowId = '${ExecutionService.workflowId(flow, x)}'` })) {
        const events = (await c().temporal.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events ?? [];
        const signals = events.flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [Buffer.from(e.workflowExecutionSignaledEventAttributes.input!.payloads![0]!.data!).toString('utf8').slice(0, 200)] : []));
        console.log(`doubled: ${x} run ${run.runId} ${run.status.name} started ${run.startTime.toISOString()}`, signals);
      }
    }
  }

  /** A new message (one MessageSid) posted until accepted: right after an earlier fault Temporal may still answer slowly (503). */
  const accepted = (flow: string, from: string, body: string, api: number) => {
    const sid = newSid();
    return untilAccepted(`${body} from ${from}`, () => text(flow, from, body, sid, api));
  };

  const askFlow = (name: string, question: string) =>
    publish(name, flowOf(triggerState({ incomingMessage: 'q', incomingRequest: 'q' }), ask('q', question, 'done'), say('done', 'Got {{widgets.q.inbound.Body}}')));

  it('F1: a worker SIGKILLed after Twilio accepted a send, before its activity completed: the other worker takes over, one message per step', async () => {
    const flow = await publish('c-f1', flowOf(triggerState({ incomingMessage: 'hello' }), say('hello', 'Hello once', 'bye'), say('bye', 'Bye once')));
    const to = contacts(4);
    const lookups = c().standIn.lookups;
    let victim: { pid: number; contact: string; at: number } | undefined;
    let hookError: unknown;
    c().standIn.onAccept = async (message) => {
      if (message.body !== 'Hello once' || victim) return;
      victim = { pid: 0, contact: message.to, at: 0 };
      try {
        // The worker running this send, as Temporal knows it (the pending activity's `pid@host`); its answer is held until it is dead.
        const pending = (await handle(flow, message.to).describe()).raw.pendingActivities ?? [];
        const pid = Number(pending.find((a) => a.lastWorkerIdentity)?.lastWorkerIdentity?.split('@')[0]);
        const worker = c().workers.find((w) => w.child.pid === pid);
        if (!worker) throw new Error(`no worker with pid ${pid} (pending: ${JSON.stringify(pending)})`);
        await c().stopWorker(worker, 'SIGKILL');
        victim = { pid, contact: message.to, at: performance.now() };
      } catch (err) {
        hookError = err;
      }
    };
    try {
      await Promise.all(to.map(async (x, i) => expect((await text(flow, x, 'hi', newSid(), i % 2)).status).toBe(200)));
      await eventually('the kill', () => Promise.resolve((victim && victim.at > 0) || hookError !== undefined ? true : undefined), 30_000);
      expect(hookError).toBeUndefined();
      expect(c().workers).toHaveLength(1);
      await untilSent('every execution finished on the surviving worker', to, 2);
    } finally {
      c().standIn.onAccept = undefined;
    }
    const takeoverMs = Math.round(performance.now() - victim!.at);
    expectAnswered(to, 'Hello once', () => 'Bye once');
    expect(await settled(flow, to)).toEqual({ failedTasks: 0, notCompleted: [] });
    // The killed send was retried (attempt 2) on the surviving worker, which found the accepted message instead of sending again.
    const survivor = c().workers[0]!.child.pid!;
    const started = ((await handle(flow, victim!.contact).fetchHistory()).events ?? []).map((e) => e.activityTaskStartedEventAttributes).filter((a) => a);
    expect(started.filter((a) => (a!.attempt ?? 1) > 1).map((a) => Number(a!.identity?.split('@')[0]))).toEqual([survivor]);
    expect(c().workers).toHaveLength(1);
    await c().startWorker(); // two again for the next faults
    recordFigures('F1 cluster', { executions: to.length, killed: 1, messages: to.length * 2, duplicates: 0, lookups: c().standIn.lookups - lookups, takeoverMs });
  }, 150_000);

  it('F2: a worker SIGKILLed while 100 executions wait for a reply; replies through both API processes; one worker is enough', async () => {
    const flow = await askFlow('c-f2', 'Parked?');
    const to = contacts(100);
    await pool(to, 10, async (x, i) => expect((await text(flow, x, 'start', newSid(), i % 2)).status).toBe(200));
    await untilSent('every execution parked', to, 1);
    let accepted = 0;
    let acceptedAfterKill = 0;
    let killing: Promise<void> | undefined;
    await pool(to, 10, async (x, i) => {
      // A fifth of the replies in, one worker dies: the other takes its executions (and its in-flight workflow tasks).
      if (accepted >= 20) killing ??= c().stopWorker(c().workers[0]!, 'SIGKILL');
      expect((await text(flow, x, `r${x.slice(-3)}`, newSid(), i % 2)).status).toBe(200);
      accepted++;
      if (killing) acceptedAfterKill++;
    });
    await killing;
    expect(c().workers).toHaveLength(1);
    const finishing = performance.now();
    await untilSent('every execution finished', to, 2, 120_000);
    const finishMs = Math.round(performance.now() - finishing);
    expectAnswered(to, 'Parked?', (x) => `Got r${x.slice(-3)}`);
    expect(await settled(flow, to)).toEqual({ failedTasks: 0, notCompleted: [] });
    const listed = await eventually('100 executions listed as ended', async () => {
      const executions = await c().client(1).studio.v2.flows(flow).executions.list();
      return executions.length === to.length && executions.every((e) => e.status === 'ended') ? executions : undefined;
    }, 30_000);
    expect(new Set(listed.map((e) => e.contactChannelAddress))).toEqual(new Set(to));
    const received = c().standIn.messages.filter((m) => to.includes(m.to)).length;
    expect(received).toBe(to.length * 2);
    await c().startWorker();
    recordFigures('F2 cluster', { parked: to.length, repliesAccepted: accepted, acceptedAfterKill, finished: to.length, failedWorkflowTasks: 0, sent: to.length * 2, received, lastFinishedAfterRepliesMs: finishMs });
  }, 240_000);

  it('F5: an API process SIGKILLed after starting executions, before answering; the client retries on the other one with its idempotency token', async () => {
    const flow = await askFlow('c-f5', 'Started once');
    const to = contacts(4);
    const tokens = to.map(() => randomBytes(8).toString('hex'));
    await c().stopApi(0, 'SIGTERM');
    await c().startApi(0, { env: { FAILPOINTS: 'executions.after-start=crash' } });
    // Four starts in flight on API 1: the first to start its execution kills the process, the others die with it.
    const first = await Promise.all(to.map((x, i) => restStart(flow, x, 0, tokens[i]).then((r) => r.status, () => 0)));
    expect(first).toEqual(to.map(() => 0));
    await c().api(0)!.exited;
    expect(c().api(0)!.child.signalCode).toBe('SIGKILL');
    const retried = await Promise.all(to.map(async (x, i) => {
      const r = await restStart(flow, x, 1, tokens[i]);
      expect(r.status).toBe(201);
      return ((await r.json()) as { sid: string }).sid;
    }));
    await c().startApi(0);
    for (const [i, x] of to.entries()) {
      // Again on either process: the same execution; without the token the contact is busy.
      for (const api of [0, 1]) expect(((await (await restStart(flow, x, api, tokens[i])).json()) as { sid: string }).sid).toBe(retried[i]);
      expect((await restStart(flow, x, i % 2)).status).toBe(409);
    }
    const listed = await c().client(1).studio.v2.flows(flow).executions.list();
    expect(listed.map((e) => e.sid).sort()).toEqual([...retried].sort());
    await untilSent('one message each', to, 1, 30_000);
    for (const x of to) expect(sentTo(x)).toEqual(['Started once']);
    recordFigures('F5 cluster', { inFlight: to.length, killed: 1, retriedOnOtherApi: to.length, sameSid: 'yes', executions: listed.length, messages: to.length });
  }, 150_000);

  it('F5: an API process SIGKILLed with inbound webhooks in flight; Twilio retries them on the other one: each message reaches one execution once', async () => {
    const flow = await askFlow('c-f5-inbound', 'Q?');
    const [fresh, parked] = [contacts(12), contacts(12)];
    const everyone = [...fresh, ...parked];
    const answer = (x: string) => `a${x.slice(-3)}`;
    const sids = { start: new Map(everyone.map((x) => [x, newSid()])), reply: new Map(everyone.map((x) => [x, newSid()])) };
    await pool(parked, 6, async (x, i) => expect((await text(flow, x, 'start', sids.start.get(x)!, i % 2)).status).toBe(200));
    await untilSent('the parked executions asked', parked, 1);
    // At once to API 1: new contacts' first messages and parked executions' replies; it is killed once the first answer is out.
    const message = (x: string) => (fresh.includes(x) ? { body: 'start', sid: sids.start.get(x)! } : { body: answer(x), sid: sids.reply.get(x)! });
    const posts = everyone.map((x) => text(flow, x, message(x).body, message(x).sid, 0).then((r) => r.status, () => 0));
    await Promise.race(posts);
    await c().stopApi(0, 'SIGKILL');
    const statuses = await Promise.all(posts);
    for (const s of statuses) expect([0, 200]).toContain(s);
    const lost = everyone.filter((_, i) => statuses[i] !== 200);
    // Twilio retries what got no answer on API 2; a late second retry of each arrives at the same moment.
    let attempts = 0;
    const retrying = performance.now();
    await Promise.all(lost.flatMap((x) => [0, 1].map(async () => {
      const n = (await untilAccepted(`the retry of ${x}`, () => text(flow, x, message(x).body, message(x).sid, 1), 90_000)).attempts;
      attempts += n;
    })));
    const retriesAcceptedMs = Math.round(performance.now() - retrying);
    await c().startApi(0);
    await untilSent('the new executions asked', fresh, 1);
    await pool(fresh, 6, async (x, i) => expect((await text(flow, x, answer(x), sids.reply.get(x)!, i % 2)).status).toBe(200));
    await untilSent('every execution answered', everyone, 2);
    // Every message once more, after the executions ended (a retry Twilio sent late): 200, and nothing starts again.
    await pool(everyone, 8, async (x, i) => {
      expect((await text(flow, x, 'start', sids.start.get(x)!, i % 2)).status).toBe(200);
      expect((await text(flow, x, answer(x), sids.reply.get(x)!, (i + 1) % 2)).status).toBe(200);
    });
    await printRuns(flow, everyone);
    expectAnswered(everyone, 'Q?', (x) => `Got ${answer(x)}`, (x) => ({ retried: lost.includes(x) ? message(x).body : 'no' }));
    expect(await settled(flow, everyone)).toEqual({ failedTasks: 0, notCompleted: [] });
    // Each execution got exactly its two messages (a duplicate signal the mailbox dropped carries a known MessageSid).
    let signals = 0;
    await pool(everyone, 8, async (x) => {
      const events = (await handle(flow, x).fetchHistory()).events ?? [];
      const signalled = events.flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName === 'inboundMessage' ? [(JSON.parse(Buffer.from(e.workflowExecutionSignaledEventAttributes.input!.payloads![0]!.data!).toString('utf8')) as { params: { MessageSid: string } }).params.MessageSid] : []));
      expect(new Set(signalled)).toEqual(new Set([sids.start.get(x), sids.reply.get(x)]));
      signals += signalled.length;
    });
    const listed = await c().client(1).studio.v2.flows(flow).executions.list();
    expect(listed).toHaveLength(everyone.length);
    recordFigures('F5 cluster inbound', {
      inFlight: everyone.length,
      answeredBeforeKill: everyone.length - lost.length,
      retried: lost.length,
      retriedReplies: lost.filter((x) => parked.includes(x)).length,
      retryAttempts: attempts,
      retriesAcceptedMs,
      executions: listed.length,
      signals,
      messages: everyone.length * 2,
    });
  }, 180_000);

  it('F9: PostgreSQL restarted (immediate stop, as a crash) under load: nothing accepted lost or doubled, no process restarted', async () => {
    const flow = await askFlow('c-f9', 'Q?');
    const parked = contacts(24);
    const fresh = contacts(300);
    await pool(parked, 8, async (x, i) => void (await accepted(flow, x, 'start', i % 2)));
    await untilSent('every execution parked', parked, 1);
    type Sent = { kind: 'start' | 'rest' | 'reply'; contact: string; key: string; api: number; phase: string; status: number; body: unknown };
    const log: Sent[] = [];
    const inFlight: Promise<void>[] = [];
    let phase = 'before';
    const send = (kind: Sent['kind'], contact: string, api: number) => {
      const key = kind === 'rest' ? randomBytes(8).toString('hex') : newSid();
      const post = () => (kind === 'rest' ? restStart(flow, contact, api, key) : text(flow, contact, kind === 'start' ? 'start' : `r${contact.slice(-3)}`, key, api));
      const entry: Sent = { kind, contact, key, api, phase, status: 0, body: undefined };
      log.push(entry);
      inFlight.push(timed(post).then((r) => void Object.assign(entry, { status: r.status, body: r.body }), (err: Error) => void Object.assign(entry, { body: err.message })));
    };
    let running = true;
    let f = 0;
    // Every 200 ms, on alternating API processes: a new contact's first message, a REST start, a parked execution's reply.
    const load = (async () => {
      for (let tick = 0; running && tick < 200 && f + 2 <= fresh.length; tick++) {
        send('start', fresh[f++]!, tick % 2);
        send('rest', fresh[f++]!, (tick + 1) % 2);
        if (tick < parked.length) send('reply', parked[tick]!, tick % 2);
        await sleep(200);
      }
    })();
    await sleep(1_000);
    phase = 'down';
    const stopped = performance.now();
    await c().restartPostgres(4_000);
    const downMs = Math.round(performance.now() - stopped);
    phase = 'after';
    await sleep(3_000);
    running = false;
    await load;
    await Promise.all(inFlight);
    // No process needed a restart: both APIs and both workers are the ones started before.
    for (const p of [c().api(0)!, c().api(1)!, ...c().workers]) {
      const { exitCode, signalCode } = p.child;
      expect({ exitCode, signalCode, output: exitCode ?? signalCode ? p.output().slice(-4000) : '' }).toEqual({ exitCode: null, signalCode: null, output: '' });
    }
    // Refused while the store (or Temporal on it) was away: 503 in Twilio's shape, to be retried.
    for (const e of log) if (e.status < 200 || e.status >= 300) expect(e).toMatchObject({ status: 503, body: { status: 503, code: 20503, message: expect.any(String) } });
    const refused = log.filter((e) => e.status >= 300);
    const refusedCodes = [...new Set(refused.map((e) => `${e.status}/${(e.body as { code: number }).code}`))].sort().join(' ');
    await eventually('both APIs healthy', async () => ((await Promise.all(c().apiUrls.map(async (u) => (await fetch(`${u}/health`)).status))).every((s) => s === 200) ? true : undefined), 60_000);
    // Twilio (or the REST client) retries each refused request: the same MessageSid or idempotency token, on the other process.
    let retries = 0;
    await pool(refused, 16, async (e) => {
      const post = () => (e.kind === 'rest' ? restStart(flow, e.contact, 1 - e.api, e.key) : text(flow, e.contact, e.kind === 'start' ? 'start' : `r${e.contact.slice(-3)}`, e.key, 1 - e.api));
      const n = (await untilAccepted(`${e.kind} ${e.contact}`, post, 90_000)).attempts;
      retries += n;
    });
    const started = log.filter((e) => e.kind !== 'reply').map((e) => e.contact);
    await untilSent('every new execution asked', started, 1);
    await pool(started, 8, async (x, i) => void (await untilAccepted(`the answer of ${x}`, () => text(flow, x, `r${x.slice(-3)}`, newSid(), i % 2))));
    const everyone = [...parked, ...started];
    await untilSent('every execution finished', everyone, 2, 120_000);
    await printRuns(flow, everyone);
    expectAnswered(everyone, 'Q?', (x) => `Got r${x.slice(-3)}`, (x) => ({ requests: log.filter((e) => e.contact === x).map((e) => `${e.kind} ${e.phase} ${e.status}`) }));
    expect(await settled(flow, everyone)).toEqual({ failedTasks: 0, notCompleted: [] });
    let last: { contactChannelAddress: string; status: string }[] = [];
    const listed = await eventually('every execution listed, once', async () => {
      const executions = await c().client(0).studio.v2.flows(flow).executions.list();
      last = executions;
      return executions.length >= everyone.length && executions.every((e) => e.status === 'ended') ? executions : undefined;
    }, 60_000).catch((err: Error) => {
      const missing = everyone.filter((x) => !last.some((e) => e.contactChannelAddress === x));
      throw new Error(`${err.message}: ${last.length} of ${everyone.length} listed, not ended ${JSON.stringify(last.filter((e) => e.status !== 'ended').map((e) => e.contactChannelAddress))}, missing ${JSON.stringify(missing)}`);
    });
    expect(listed.map((e) => e.contactChannelAddress).sort()).toEqual([...everyone].sort());
    const received = c().standIn.messages.filter((m) => everyone.includes(m.to)).length;
    expect(received).toBe(everyone.length * 2);
    const during = log.filter((e) => e.phase === 'down');
    recordFigures('F9', {
      requests: log.length,
      duringOutage: during.length,
      acceptedDuringOutage: during.filter((e) => e.status < 300).length,
      refused: refused.length,
      refusedCodes,
      retryAttempts: retries,
      executions: everyone.length,
      sent: everyone.length * 2,
      received,
      failedWorkflowTasks: 0,
      postgresDownMs: downMs,
    });
  }, 300_000);
  it('F4: the Temporal server SIGKILLed and restarted on PostgreSQL, executions parked, webhooks and REST calls arriving', async () => {
    const flow = await askFlow('c-f4', 'Still there?');
    const to = contacts(8);
    const [newcomer, restContact] = contacts(2);
    await Promise.all(to.map(async (x, i) => void (await accepted(flow, x, 'hi', i % 2))));
    await untilSent('every execution parked', to, 1);
    const restarting = c().restartTemporal('SIGKILL', 15_000); // killed at once; back after 15 s and its start (the refusals below take up to ~8 s)
    const during = await Promise.all([
      ...to.slice(0, 4).map((x, i) => timed(() => text(flow, x, 'reply while down', newSid(), i % 2))),
      timed(() => text(flow, newcomer!, 'new while down', newSid(), 0)),
      timed(() => restStart(flow, restContact!, 1)),
    ]);
    const known = await Promise.all([0, 1].map((api) => timed(() => text(flow, to[5]!, 'again while down', newSid(), api))));
    const health = await Promise.all(c().apiUrls.map(async (url) => (await fetch(`${url}/health`)).status));
    for (const r of [...during, ...known]) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toMatch(/^\d+$/);
      expect(r.body).toMatchObject({ status: 503, code: 20503, message: expect.any(String) });
    }
    expect(health).toEqual([503, 503]);
    await restarting;
    const back = performance.now();
    await eventually('both APIs healthy', async () => ((await Promise.all(c().apiUrls.map(async (u) => (await fetch(`${u}/health`)).status))).every((s) => s === 200) ? true : undefined), 60_000);
    const healthyAfterMs = Math.round(performance.now() - back);
    // Like Twilio, the same MessageSid again until accepted (right after the restart the server may still refuse).
    let attempts = 0;
    await Promise.all(to.map(async (x, i) => {
      const sid = newSid();
      const n = (await untilAccepted(`the answer of ${x}`, () => text(flow, x, `answer ${x.slice(-3)}`, sid, i % 2))).attempts;
      attempts += n;
    }));
    await untilSent('every parked execution finished', to, 2);
    expectAnswered(to, 'Still there?', (x) => `Got answer ${x.slice(-3)}`);
    expect(await settled(flow, to)).toEqual({ failedTasks: 0, notCompleted: [] });
    expect([sentTo(newcomer!), sentTo(restContact!)]).toEqual([[], []]);
    expect(c().workers).toHaveLength(2);
    recordFigures('F4 cluster', { parked: to.length, refusedWhileDown: during.length + known.length, slowestRefusalMs: Math.max(...during.map((d) => d.ms)), refusalOnceKnownMs: Math.max(...known.map((k) => k.ms)), healthyAfterMs, answerAttempts: attempts, resumed: to.length, failedWorkflowTasks: 0 });
  }, 180_000);

});
