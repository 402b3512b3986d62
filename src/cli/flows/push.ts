import fs from 'node:fs';
import path from 'node:path';
import { formatFlowFile, type FlowFile } from '../../flow/flow-file';
import { studioClient, type StudioConnection } from '../studio-client';

export interface PushOptions {
  readonly dir: string;
  /** Publish what is pushed (a new published revision), with this commit message. */
  readonly publish?: boolean;
  readonly message?: string;
  /** Say what would happen; change nothing. */
  readonly dryRun?: boolean;
}

export type PushAction =
  | { readonly kind: 'create'; readonly file: string; readonly name: string }
  | { readonly kind: 'update'; readonly file: string; readonly sid: string; readonly from: number; readonly changed: readonly string[] }
  | { readonly kind: 'unchanged'; readonly file: string; readonly sid: string }
  | { readonly kind: 'conflict'; readonly file: string; readonly sid: string; readonly pulled: number; readonly server: number; readonly updated: Date };

/** Someone saved a revision since the pull: nothing was pushed. */
export class PushConflict extends Error {
  constructor(readonly conflicts: readonly Extract<PushAction, { kind: 'conflict' }>[]) {
    super(
      [
        `${conflicts.length} flow(s) changed on the server since they were pulled; nothing was pushed:`,
        ...conflicts.map((c) => `  ${c.file}: pulled at revision ${c.pulled}, the server has revision ${c.server} (saved ${c.updated.toISOString()})`),
        'Pull those flows again (open-studio flows pull --flow SID), merge your change with git, then push.',
      ].join('\n'),
    );
    this.name = 'PushConflict';
  }
}

/**
 * Pushes the flow files of `dir`: a file without a SID creates its flow; a file whose
 * definition, name or test users differ from the server's saves one new revision (published with
 * `publish`); an equal one saves nothing. A flow saved on the server since its file was pulled
 * stops the whole push before anything is written (optimistic concurrency: the file keeps the
 * revision it was pulled at). After a push each file holds the revision it made.
 */
export async function pushFlows(connection: StudioConnection, options: PushOptions): Promise<PushAction[]> {
  const client = studioClient(connection.url, connection.accountSid, connection.authToken);
  const files = fs.readdirSync(options.dir).filter((f) => f.endsWith('.json')).sort();
  const plan: { action: PushAction; file: FlowFile }[] = [];
  for (const name of files) {
    const file = readFlowFile(path.join(options.dir, name));
    if (!file.sid) {
      plan.push({ action: { kind: 'create', file: name, name: file.friendly_name }, file });
      continue;
    }
    const server = await client.studio.v2.flows(file.sid).fetch();
    const users = (await client.studio.v2.flows(file.sid).testUsers().fetch()).testUsers;
    if (server.revision !== file.revision) {
      plan.push({ action: { kind: 'conflict', file: name, sid: file.sid, pulled: file.revision, server: server.revision, updated: server.dateUpdated ?? server.dateCreated }, file });
      continue;
    }
    const changed = differences(file, { sid: file.sid, friendly_name: server.friendlyName, status: server.status, revision: server.revision, test_users: users, definition: server.definition });
    const publishing = options.publish === true && server.status !== 'published';
    plan.push({ action: changed.length === 0 && !publishing ? { kind: 'unchanged', file: name, sid: file.sid } : { kind: 'update', file: name, sid: file.sid, from: server.revision, changed: publishing ? [...changed, 'status'] : changed }, file });
  }
  const conflicts = plan.map((p) => p.action).filter((a): a is Extract<PushAction, { kind: 'conflict' }> => a.kind === 'conflict');
  if (conflicts.length > 0) throw new PushConflict(conflicts);
  if (options.dryRun) return plan.map((p) => p.action);
  const status = options.publish ? 'published' : 'draft';
  const commitMessage = options.message ?? 'pushed with open-studio flows push';
  for (const { action, file } of plan) {
    if (action.kind === 'unchanged' || action.kind === 'conflict') continue;
    const target = path.join(options.dir, action.file);
    const saved =
      action.kind === 'create'
        ? await client.studio.v2.flows.create({ friendlyName: file.friendly_name, status, definition: file.definition as object, commitMessage })
        : await client.studio.v2.flows(action.sid).update({ friendlyName: file.friendly_name, status, definition: file.definition as object, commitMessage });
    if (action.kind === 'create' || action.changed.includes('test_users')) await client.studio.v2.flows(saved.sid).testUsers().update({ testUsers: [...file.test_users] });
    fs.writeFileSync(target, formatFlowFile({ ...file, sid: saved.sid, status: saved.status, revision: saved.revision }));
  }
  return plan.map((p) => p.action);
}

function readFlowFile(file: string): FlowFile & { sid?: string } {
  let parsed: Partial<FlowFile>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<FlowFile>;
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  if (typeof parsed.friendly_name !== 'string' || parsed.definition === undefined) throw new Error(`${file}: not a flow file (friendly_name and definition are needed)`);
  return { sid: parsed.sid ?? '', friendly_name: parsed.friendly_name, status: parsed.status ?? 'draft', revision: parsed.revision ?? 0, test_users: parsed.test_users ?? [], definition: parsed.definition };
}

/** What a push would change: compared in the file format, so key order and spacing never count. */
function differences(local: FlowFile, server: FlowFile): string[] {
  const changed: string[] = [];
  const printed = (f: FlowFile) => formatFlowFile({ ...f, status: '', revision: 0, test_users: [], friendly_name: '' });
  if (printed(local) !== printed(server)) changed.push('definition');
  if (local.friendly_name !== server.friendly_name) changed.push('friendly_name');
  if (JSON.stringify([...local.test_users].sort()) !== JSON.stringify([...server.test_users].sort())) changed.push('test_users');
  return changed;
}
