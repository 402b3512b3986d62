import fs from 'node:fs';
import path from 'node:path';
import type twilio from 'twilio';
import type { FlowInstance } from 'twilio/lib/rest/studio/v2/flow';
import type { FlowDefinition } from '../../flow/definition';
import { formatFlowFile, type FlowFile } from '../../flow/flow-file';
import { withSubflowSids } from '../../flow/migration';
import { validateFlow } from '../../flow/validate';
import { studioClient, type StudioConnection } from '../studio-client';
import { flowFilesIn, readFlowFile } from './files';
import { pointAtMovedSubflows, subflowsFirst } from './moved';
import type { Planned, PushAction } from './plan';

export type { PushAction } from './plan';

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
 *
 * A file whose SID this server does not know holds a flow moved from another account (pulled
 * from Twilio's Studio): it is created here with the status it had there, and Run Subflow
 * widgets naming a moved flow are rewritten to its new SID (see ./moved.ts).
 */
export async function pushFlows(connection: StudioConnection, options: PushOptions): Promise<PushAction[]> {
  const client = studioClient(connection.url, connection.accountSid, connection.authToken);
  const files = flowFilesIn(options.dir);
  const plan: Planned[] = [];
  for (const name of files) {
    const file = readFlowFile(path.join(options.dir, name));
    if (!file.sid) {
      plan.push({ action: { kind: 'create', file: name, name: file.friendly_name }, file });
      continue;
    }
    const server = await fetchFlow(client, file.sid);
    if (!server) {
      plan.push({ action: { kind: 'create', file: name, name: file.friendly_name, movedFrom: file.sid }, file });
      continue;
    }
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
  const statusOf = (p: Planned): 'published' | 'draft' => (p.action.kind === 'create' && p.action.movedFrom ? (p.file.status === 'published' ? 'published' : 'draft') : options.publish ? 'published' : 'draft');
  refuseInvalid(plan.filter((p) => (p.action.kind === 'create' || p.action.kind === 'update') && statusOf(p) === 'published'));
  if (options.dryRun) return plan.map((p) => p.action);
  const commitMessage = options.message ?? `open-studio flows push${options.author ? ` by ${options.author}` : ''}`;
  const moved = new Map<string, string>();
  const done: PushAction[] = [];
  for (const p of subflowsFirst(plan)) {
    const { action } = p;
    if (action.kind === 'unchanged' || action.kind === 'conflict') {
      done.push(action);
      continue;
    }
    const file = { ...p.file, definition: withSubflowSids(p.file.definition as FlowDefinition, moved) };
    const request = { friendlyName: file.friendly_name, status: statusOf(p), definition: file.definition as object, commitMessage };
    const saved = action.kind === 'create' ? await client.studio.v2.flows.create(request) : await client.studio.v2.flows(action.sid).update(request);
    // A new flow has none to set. Form encoding has no empty list: `TestUsers=` (one empty value) clears them.
    if (action.kind === 'create' ? file.test_users.length > 0 : action.changed.includes('test_users')) {
      await client.studio.v2.flows(saved.sid).testUsers().update({ testUsers: file.test_users.length > 0 ? [...file.test_users] : [''] });
    }
    if (action.kind === 'create' && action.movedFrom) moved.set(action.movedFrom, saved.sid);
    fs.writeFileSync(path.join(options.dir, action.file), formatFlowFile({ ...file, sid: saved.sid, status: saved.status, revision: saved.revision }));
    done.push(action.kind === 'create' ? { ...action, sid: saved.sid, webhookUrl: saved.webhookUrl } : action);
  }
  if (moved.size > 0) await pointAtMovedSubflows(client, options.dir, moved, commitMessage);
  // In the order of the files, as planned.
  return plan.map((p) => done.find((d) => d.file === p.action.file)!);
}

/** The flow, or undefined when this server has no flow with that SID (404). */
async function fetchFlow(client: twilio.Twilio, sid: string): Promise<FlowInstance | undefined> {
  try {
    return await client.studio.v2.flows(sid).fetch();
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

/** Publishing an invalid flow fails on the server (81022): refused here first, before anything is written. */
function refuseInvalid(plan: readonly Planned[]): void {
  const invalid = plan
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
