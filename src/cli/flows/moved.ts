import fs from 'node:fs';
import path from 'node:path';
import type twilio from 'twilio';
import type { FlowDefinition } from '../../flow/definition';
import { formatFlowFile } from '../../flow/flow-file';
import { migrationNotes, subflowSids, withSubflowSids } from '../../flow/migration';
import { flowFilesIn, readFlowFile } from './files';
import type { Planned, PushAction } from './plan';

/**
 * Flows moved from another account get new SIDs here; Run Subflow names its subflow by SID, so
 * the references between moved flows are rewritten as they are created.
 */

/** Moved flows that others run as subflows are created first, so the others are created naming their new SIDs. */
export function subflowsFirst(plan: readonly Planned[]): Planned[] {
  const movedFrom = (p: Planned) => (p.action.kind === 'create' ? p.action.movedFrom : undefined);
  const bySid = new Map(plan.filter((p) => movedFrom(p)).map((p) => [movedFrom(p)!, p]));
  const ordered: Planned[] = [];
  const visiting = new Set<Planned>();
  const visit = (p: Planned) => {
    if (ordered.includes(p) || visiting.has(p)) return; // a cycle is mended after the creations
    visiting.add(p);
    for (const sid of subflowSids(p.file.definition as FlowDefinition)) if (bySid.has(sid)) visit(bySid.get(sid)!);
    ordered.push(p);
  };
  plan.forEach(visit);
  return ordered;
}

/** Files still naming a moved flow by its old SID (a cycle of subflows, or a flow not moved) are saved once more naming the new one. */
export async function pointAtMovedSubflows(client: twilio.Twilio, dir: string, moved: ReadonlyMap<string, string>, commitMessage: string): Promise<void> {
  for (const name of flowFilesIn(dir)) {
    const file = readFlowFile(path.join(dir, name));
    const definition = withSubflowSids(file.definition as FlowDefinition, moved);
    if (!file.sid || definition === file.definition) continue;
    const saved = await client.studio.v2.flows(file.sid).update({ friendlyName: file.friendly_name, status: file.status === 'published' ? 'published' : 'draft', definition, commitMessage });
    fs.writeFileSync(path.join(dir, name), formatFlowFile({ ...file, definition, status: saved.status, revision: saved.revision }));
  }
}


/**
 * What a push that moved flows here prints: the webhook URL each of their numbers must name now
 * (Studio's were https://webhooks.twilio.com/v1/Accounts/AC…/Flows/FW…), and what the widgets
 * of those flows will do differently here.
 */
export function movedReport(dir: string, actions: readonly PushAction[]): string {
  const moved = actions.filter((a): a is Extract<PushAction, { kind: 'create' }> => a.kind === 'create' && a.movedFrom !== undefined);
  if (moved.length === 0) return '';
  const lines = [`${moved.length} flow(s) moved here from another account (their SIDs were not known to this server).`];
  if (moved.some((m) => m.webhookUrl)) {
    lines.push("Point each number's webhooks that named the old flow (\"A message comes in\", \"A call comes in\", HTTP POST) at its new URL:");
    for (const m of moved) lines.push(`  ${m.file}  ${m.movedFrom} → ${m.sid ?? '?'}  ${m.webhookUrl ?? ''}`);
  }
  // One entry per difference, with the widgets it concerns file by file: a flow may have a dozen Flex handoffs.
  const byNote = new Map<string, Map<string, string[]>>();
  for (const m of moved) {
    for (const n of migrationNotes(readFlowFile(path.join(dir, m.file)).definition as FlowDefinition)) {
      const files = byNote.get(`${n.type}: ${n.note}`) ?? new Map<string, string[]>();
      byNote.set(`${n.type}: ${n.note}`, files.set(m.file, [...(files.get(m.file) ?? []), n.widget]));
    }
  }
  lines.push(byNote.size > 0 ? 'What behaves differently here:' : 'Every widget of these flows behaves here as in Studio.');
  for (const [note, files] of byNote) lines.push(`  ${note}`, ...[...files].map(([file, widgets]) => `    ${file}: ${widgets.join(', ')}`));
  return lines.join('\n');
}
