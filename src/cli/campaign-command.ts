import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { connectionOf, withConnectionOptions, type StudioConnection } from './studio-client';

interface Campaign {
  readonly sid: string;
  readonly status: 'running' | 'paused' | 'cancelled' | 'completed';
  readonly total: number;
  readonly rate: number;
  readonly counts: Readonly<Record<'pending' | 'starting' | 'started' | 'skipped' | 'failed', number>>;
  readonly executions_ended: number;
}

type Options = { url: string; accountSid?: string; authToken?: string };

/** How often a running campaign's progress is read. */
const POLL_MS = 1_000;

/** One request to the Campaigns API; a refusal throws Twilio's message. */
async function call<T>(connection: StudioConnection, pathname: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(new URL(pathname, connection.url), {
    ...init,
    headers: { authorization: `Basic ${Buffer.from(`${connection.accountSid}:${connection.authToken}`).toString('base64')}`, accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
  });
  const body = (await response.json().catch(() => ({}))) as T & { message?: string; code?: number };
  if (!response.ok) throw new Error(`${response.status}${body.code ? ` (${body.code})` : ''}: ${body.message ?? response.statusText}`);
  return body;
}

const done = (c: Campaign) => c.total - c.counts.pending - c.counts.starting;
const summary = (c: Campaign) => `${c.status}: ${c.counts.started} started, ${c.counts.skipped} skipped, ${c.counts.failed} failed, ${c.counts.pending + c.counts.starting} pending of ${c.total}; ${c.executions_ended} executions ended`;

/** Follows a campaign until it is completed or cancelled, with a progress bar on a terminal. */
async function follow(connection: StudioConnection, flow: string, campaign: Campaign, progress: boolean): Promise<Campaign> {
  const bar = progress ? new SingleBar({ format: '{bar} {percentage}% | {value}/{total} | {started} started, {skipped} skipped, {failed} failed | {status}' }, Presets.shades_classic) : undefined;
  bar?.start(campaign.total, done(campaign), { ...campaign.counts, status: campaign.status });
  let current = campaign;
  while (current.status === 'running' || current.status === 'paused') {
    await new Promise((r) => setTimeout(r, POLL_MS));
    current = await call<Campaign>(connection, `/v2/Flows/${flow}/Campaigns/${campaign.sid}`);
    bar?.update(done(current), { ...current.counts, status: current.status });
  }
  bar?.stop();
  return current;
}

/** `open-studio campaign …`: start a campaign from a CSV or JSON list and follow it. */
export function campaignCommand(): Command {
  const campaign = new Command('campaign').description('Campaigns: one execution per contact of a list, started at a rate by a durable workflow');
  campaign.addCommand(
    withConnectionOptions(
      new Command('start')
        .description('Start a campaign over a list (a .csv with a To column, or a .json array of objects with To; the other columns or keys become flow.data) and follow it to the end')
        .argument('<list>', 'the contact list: .csv or .json')
        .requiredOption('--flow <sid>', 'the flow (FW…): its published revision runs')
        .requiredOption('--from <address>', "the flow's own address each execution starts from")
        .option('--rate <n>', 'executions started per second', '10')
        .option('--quiet-hours <HH:MM-HH:MM>', 'no contact is started then (local to --time-zone)')
        .option('--time-zone <iana>', 'the time zone of --quiet-hours', 'UTC')
        .option('--no-wait', 'print the campaign and return at once')
        .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)'),
    ).action(async (list: string, options: Options & { flow: string; from: string; rate: string; quietHours?: string; timeZone: string; wait: boolean; progress: boolean }) => {
      const connection = connectionOf(options);
      const text = fs.readFileSync(path.resolve(list), 'utf8');
      const params = new URLSearchParams({ From: options.from, Rate: options.rate, TimeZone: options.timeZone, ...(options.quietHours ? { QuietHours: options.quietHours } : {}) });
      const csv = !list.toLowerCase().endsWith('.json');
      const created = await call<Campaign>(connection, `/v2/Flows/${options.flow}/Campaigns${csv ? `?${params.toString()}` : ''}`, csv ? { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text } : { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(params), Contacts: text }) });
      process.stdout.write(`campaign ${created.sid} started: ${created.total} contacts at ${created.rate}/s\n`);
      if (!options.wait) return;
      const ended = await follow(connection, options.flow, created, options.progress && process.stderr.isTTY);
      process.stdout.write(`${summary(ended)}\n`);
      if (ended.status !== 'completed' || ended.counts.failed > 0) process.exitCode = 1;
    }),
  );
  campaign.addCommand(
    withConnectionOptions(
      new Command('status')
        .description("A campaign's status and counts")
        .argument('<campaign>', 'the campaign (CM…)')
        .requiredOption('--flow <sid>', 'its flow (FW…)')
        .option('--json', 'the campaign resource as JSON'),
    ).action(async (sid: string, options: Options & { flow: string; json?: boolean }) => {
      const found = await call<Campaign>(connectionOf(options), `/v2/Flows/${options.flow}/Campaigns/${sid}`);
      process.stdout.write(options.json ? `${JSON.stringify(found, null, 2)}\n` : `campaign ${found.sid} ${summary(found)}\n`);
    }),
  );
  return campaign;
}
