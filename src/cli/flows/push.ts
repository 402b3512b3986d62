import fs from 'node:fs';
import path from 'node:path';
import { formatFlowFile, type FlowFile } from '../../flow/flow-file';
import { validateFlow } from '../../flow/validate';
import { studioClient, type StudioConnection } from '../studio-client';
import { flowFilesIn, readFlowFile } from './files';

export interface PushOptions {
  readonly dir: string;
  /** Publish the revisions this push saves; a flow whose file equals the server stays as it is, draft or published. */
  readonly publish?: boolean;
  readonly message?: string;
  /** Who pushes (git's user.name): the default commit message names them, as revisions have no author. */
  readonly author?: string;
  /** Say what would happen; change nothing. */
  readonly dryRun?: boolean;
}

export type PushAction =
  | { readonly kind: 'create'; readonly file: string; readonly name: string }
  | { readonly kind: 'update'; readonly file: string; readonly sid: string; readonly from: number; readonly changed: readonly string[] }
  | { readonly kind: 'unchanged'; readonly file: string; readonly sid: string }
  | {
      readonly kind: 'conflict';
      readonly file: string;
      readonly sid: string;
      readonly pulled: number;
      readonly server: number;
      readonly updated: Date;
      /** The newer revision's commit message: Studio's revisions record no author, so this is who saved it as far as anyone can tell. */
      readonly commitMessage: string;
    };

/** Someone saved a revision since the pull: nothing was pushed. */
export class PushConflict extends Error {
  constructor(readonly conflicts: readonly Extract<PushAction, { kind: 'conflict' }>[]) {
    super(
      [
        `${conflicts.length} flow(s) changed on the server since they were pulled; nothing was pushed:`,
        ...conflicts.flatMap((c) => [
          `  ${c.file}: pulled at revision ${c.pulled}, the server has revision ${c.server} (saved ${c.updated.toISOString()}${c.commitMessage ? `, commit message ${JSON.stringify(c.commitMessage)}` : ''})`,
          `    what changed there: open-studio flows diff ${c.sid}@${c.pulled} ${c.sid}`,
        ]),
        'To resolve: commit your change, pull those flows again (open-studio flows pull --flow FW…), merge with git, then push.',
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
  const files = flowFilesIn(options.dir);
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
      plan.push({ action: { kind: 'conflict', file: name, sid: file.sid, pulled: file.revision, server: server.revision, updated: server.dateUpdated ?? server.dateCreated, commitMessage: server.commitMessage ?? '' }, file });
      continue;
    }
    const changed = differences(file, { sid: file.sid, friendly_name: server.friendlyName, status: server.status, revision: server.revision, test_users: users, definition: server.definition });
    plan.push({ action: changed.length === 0 ? { kind: 'unchanged', file: name, sid: file.sid } : { kind: 'update', file: name, sid: file.sid, from: server.revision, changed }, file });
  }
  const conflicts = plan.map((p) => p.action).filter((a): a is Extract<PushAction, { kind: 'conflict' }> => a.kind === 'conflict');
  if (conflicts.length > 0) throw new PushConflict(conflicts);
  if (options.publish) refuseInvalid(plan);
  if (options.dryRun) return plan.map((p) => p.action);
  const status = options.publish ? 'published' : 'draft';
  const commitMessage = options.message ?? `open-studio flows push${options.author ? ` by ${options.author}` : ''}`;
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

/** Publishing an invalid flow fails on the server (81022): refused here first, before anything is written. */
function refuseInvalid(plan: readonly { action: PushAction; file: FlowFile }[]): void {
  const invalid = plan
    .filter((p) => p.action.kind === 'create' || p.action.kind === 'update')
    .flatMap((p) => validateFlow(p.file.definition).errors.map((e) => `  ${p.action.file}: ${e.property_path.replace(/^#/, '#/definition')} ${e.message}`));
  if (invalid.length > 0) throw new Error([`these flows cannot be published; nothing was pushed (lint them: open-studio flows lint):`, ...invalid].join('\n'));
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
