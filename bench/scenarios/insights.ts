import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDatabase, startLocalPostgres } from '../../src/cluster/postgres';
import { freePort } from '../../src/net/ports';
import { openDatabase, type Database } from '../../src/store/database';
import { FlowInsights, type InsightScope } from '../../src/store/insights';
import type { Row } from '../report';
import { latency, timeEach } from '../stats';

const ACCOUNT = 'AC00000000000000000000000000000001';
const FLOW = 'FW00000000000000000000000000000001';
const OTHER = 'FW00000000000000000000000000000002';
/** A survey's path: each execution takes these five steps (the last one sometimes a timeout). */
const PATH: ReadonlyArray<readonly [widget: string, type: string, event: string, next: string]> = [
  ['Trigger', 'trigger', 'incomingMessage', 'route'],
  ['route', 'split-based-on', 'match', 'ask_name'],
  ['ask_name', 'send-and-wait-for-reply', 'incomingMessage', 'ask_score'],
  ['ask_score', 'send-and-wait-for-reply', 'incomingMessage', 'thanks'],
  ['thanks', 'send-message', 'sent', 'Ended'],
];
const WAITS = { 'send-and-wait-for-reply': { timeout: 'timeout', failure: 'deliveryFailure' } };

/**
 * (9) Flow insights over 100,000 recorded steps of one flow (20,000 executions of five steps),
 * beside as many of another flow: the time each insights question takes on the SQLite store and
 * on PostgreSQL (a local server, fsync off), against each database's own floor — counting that
 * flow's steps through the same index.
 */
export async function measureInsights(steps: number, samples: number): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-insights-'));
  try {
    const sqlite = await measureOn(await openDatabase({ dataDir: dir }), 'sqlite', steps, samples);
    const port = await freePort();
    const postgres = startLocalPostgres({ dir: path.join(dir, 'postgres'), port, durable: false });
    try {
      await createDatabase(postgres.url, 'insights');
      const database = await openDatabase({ dataDir: dir, databaseUrl: `postgres://studio@127.0.0.1:${port}/insights` });
      return [...sqlite, ...(await measureOn(database, 'postgres', steps, samples))];
    } finally {
      postgres.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measureOn(database: Database, store: 'sqlite' | 'postgres', steps: number, samples: number): Promise<Row[]> {
  try {
    await seed(database, FLOW, steps);
    await seed(database, OTHER, steps);
    const recorded = Number((await database.db.selectFrom('insight_steps').select(sql<number>`count(*)`.as('n')).where('flow_sid', '=', FLOW).executeTakeFirstOrThrow()).n);
    const insights = new FlowInsights(database);
    const scope: InsightScope = { accountSid: ACCOUNT, flowSid: FLOW };
    const floor = latency(
      await timeEach(samples, async () => {
        await database.db.selectFrom('insight_steps').select(sql<number>`count(*)`.as('n')).where('account_sid', '=', ACCOUNT).where('flow_sid', '=', FLOW).executeTakeFirst();
      }),
    );
    const questions: Array<[id: string, figure: string, ask: () => Promise<unknown>]> = [
      ['insights-executions', 'insights: executions by state, reason, trigger', () => insights.executions(scope)],
      ['insights-widgets', 'insights: per widget reached / waiting / ended', () => insights.widgets(scope)],
      ['insights-transitions', 'insights: per transition taken', () => insights.transitions(scope)],
      ['insights-waits', 'insights: waits (replies, timeouts, median, p90)', () => insights.waits(scope, WAITS)],
      ['insights-funnel', 'insights: funnel Trigger → thanks', () => insights.funnel(scope, 'Trigger', 'thanks')],
      ['insights-daily', 'insights: executions per day', () => insights.daily(scope)],
    ];
    const rows: Row[] = [];
    for (const [id, figure, ask] of questions) {
      await ask();
      const took = latency(await timeEach(samples, async () => void (await ask())));
      const suffix = store === 'sqlite' ? '' : `-${store}`;
      rows.push({ id: `${id}${suffix}`, figure: `${figure}, ${recorded.toLocaleString('en-US')} steps, ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, unit: 'ms p50', engine: took.p50, baseline: floor.p50, baselineLabel: "count(*) of the flow's steps (index)", detail: { p99: took.p99, samples, baselineP99: floor.p99, store } });
    }
    return rows;
  } finally {
    await database.close();
  }
}

/** `steps` steps of `flowSid`: executions of the survey path over 30 days, one in eight timing out at the score. */
async function seed(database: Database, flowSid: string, steps: number): Promise<void> {
  // One in eight stops at the score (a timeout): 4.875 steps per execution on average.
  const executions = Math.round(steps / (PATH.length - 1 / 8));
  const start = Date.parse('2026-11-01T00:00:00Z');
  const BATCH = 200;
  for (let first = 0; first < executions; first += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, executions - first) }, (_, k) => first + k);
    const sid = (n: number) => `FN${flowSid.slice(-4)}${String(n).padStart(28, '0')}`;
    const at = (n: number) => start + Math.floor((n / executions) * 30 * 86_400_000);
    await database.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('insight_executions')
        .values(ids.map((n) => ({ execution_sid: sid(n), account_sid: ACCOUNT, flow_sid: flowSid, revision: 1 + (n % 2), trigger: 'incomingMessage', started_at: at(n), ended_at: at(n) + 600_000, ended_reason: 'FLOW_END' })))
        .execute();
      await tx
        .insertInto('insight_steps')
        .values(
          ids.flatMap((n) =>
            PATH.slice(0, n % 8 === 0 ? PATH.length - 1 : PATH.length).map(([widget, type, event, next], i) => {
              const timedOut = widget === 'ask_score' && n % 8 === 0;
              return { execution_sid: sid(n), sequence: i + 2, account_sid: ACCOUNT, flow_sid: flowSid, revision: 1 + (n % 2), widget, widget_type: type, event: timedOut ? 'timeout' : event, next: timedOut ? 'Ended' : next, at: at(n) + i * 60_000 + (n % 97) * 1000, error_code: null };
            }),
          ),
        )
        .execute();
    });
  }
}
