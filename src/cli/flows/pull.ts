import fs from 'node:fs';
import path from 'node:path';
import { flowFileName, formatFlowFile, type FlowFile } from '../../flow/flow-file';
import { studioClient, type StudioConnection } from '../studio-client';

export interface PullOptions {
  readonly dir: string;
  /** Only these flows (SIDs); all of the account's otherwise. */
  readonly flows?: readonly string[];
  readonly progress?: (done: number, total: number, name: string) => void;
}

export interface PullReport {
  readonly written: string[];
  readonly unchanged: string[];
}

/**
 * Every flow of the account (or the chosen ones) to a file of its own in `dir`, with its test
 * users. A flow already pulled keeps its file's name (found by the SID inside), so a rename in
 * the console does not become a delete and an add in git; a new flow takes a name from its
 * friendly name, made unique with its SID when another flow has it. Files are rewritten only when
 * their bytes change.
 */
export async function pullFlows(connection: StudioConnection, options: PullOptions): Promise<PullReport> {
  const client = studioClient(connection.url, connection.accountSid, connection.authToken);
  const listed = options.flows ? await Promise.all(options.flows.map((sid) => client.studio.v2.flows(sid).fetch())) : await client.studio.v2.flows.list();
  // Oldest first: of two flows with one name, the older keeps the plain file name, whatever the list's order.
  const flows = [...listed].sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime() || a.sid.localeCompare(b.sid));
  fs.mkdirSync(options.dir, { recursive: true });
  const known = filesBySid(options.dir);
  const taken = new Set([...known.values()]);
  const report: PullReport = { written: [], unchanged: [] };
  for (const [i, summary] of flows.entries()) {
    options.progress?.(i, flows.length, summary.friendlyName);
    // The list's page may omit nothing, but a fetch is what `flows(sid)` answers everywhere.
    const flow = options.flows ? summary : await client.studio.v2.flows(summary.sid).fetch();
    const testUsers = (await client.studio.v2.flows(flow.sid).testUsers().fetch()).testUsers;
    const file: FlowFile = { sid: flow.sid, friendly_name: flow.friendlyName, status: flow.status, revision: flow.revision, test_users: testUsers, definition: flow.definition };
    const name = known.get(flow.sid) ?? uniqueName(flowFileName(flow.friendlyName), flow.sid, taken);
    taken.add(name);
    const target = path.join(options.dir, name);
    const text = formatFlowFile(file);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) report.unchanged.push(name);
    else {
      fs.writeFileSync(target, text);
      report.written.push(name);
    }
  }
  options.progress?.(flows.length, flows.length, '');
  return report;
}

/** The flow files already in `dir`, by the SID they hold. */
function filesBySid(dir: string): Map<string, string> {
  const bySid = new Map<string, string>();
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    try {
      const sid = (JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { sid?: unknown }).sid;
      if (typeof sid === 'string' && /^FW[0-9a-f]{32}$/.test(sid)) bySid.set(sid, name);
    } catch {
      // not a flow file of ours: left alone
    }
  }
  return bySid;
}

function uniqueName(name: string, sid: string, taken: ReadonlySet<string>): string {
  return taken.has(name) ? name.replace(/\.json$/, `-${sid.slice(-8)}.json`) : name;
}
