import path from 'node:path';
import type twilio from 'twilio';
import type { FlowDefinition } from '../../flow/definition';
import { summarize, summaryLines, type DefinitionSummary, type SummaryLine } from '../../flow/flow-diff';
import { studioClient, type StudioConnection } from '../studio-client';
import { flowFilesIn, isFile, readDefinitionFile, readFlowFile, relative } from './files';

/** One side of a diff: a file, or a flow's revision on the server. */
export interface DiffSide {
  readonly label: string;
  readonly definition: FlowDefinition;
  readonly friendlyName?: string;
}

export interface FlowDiff {
  readonly left: DiffSide;
  readonly right: DiffSide;
  readonly summary: DefinitionSummary;
  /** The summary as lines, the friendly name's change first. */
  readonly lines: readonly SummaryLine[];
}

export interface DiffOptions {
  readonly dir: string;
  /** What to compare: none (every file of `dir` with the server), one file (with the server), or two sides. */
  readonly sides: readonly string[];
}

/** `FW…` (its current revision) or `FW…@N` (revision N). */
const SERVER_SIDE = /^(FW[0-9a-f]{32})(?:@(\d+))?$/;

/**
 * The semantic diff of `open-studio flows diff`, between a file and the server, two files, or two
 * revisions. The server is asked only when a side lives there; `connection` is called then, so a
 * diff of two files needs no account.
 */
export async function diffFlows(connection: () => StudioConnection, options: DiffOptions): Promise<FlowDiff[]> {
  let client: twilio.Twilio | undefined;
  const server = () => {
    const c = connection();
    return (client ??= studioClient(c.url, c.accountSid, c.authToken));
  };
  const [a, b, ...rest] = options.sides;
  if (rest.length > 0) throw new Error('flows diff compares at most two sides');
  if (a !== undefined && b !== undefined) return [compare(await sideOf(a, server), await sideOf(b, server))];
  const files = a !== undefined ? [a] : flowFilesIn(options.dir).map((f) => path.join(options.dir, f));
  const diffs: FlowDiff[] = [];
  for (const file of files) {
    if (!isFile(file)) throw new Error(`${file}: with one side, diff compares a flow file with the server; give it a file`);
    const local = readFlowFile(file);
    // A file never pushed has nothing to differ from yet: `flows push --dry-run` lists it as a creation.
    if (!local.sid) continue;
    diffs.push(compare(await sideOf(local.sid, server), { label: relative(file), definition: local.definition as FlowDefinition, friendlyName: local.friendly_name }));
  }
  return diffs;
}

function compare(left: DiffSide, right: DiffSide): FlowDiff {
  const summary = summarize(left.definition, right.definition);
  const renamed: SummaryLine[] =
    left.friendlyName !== undefined && right.friendlyName !== undefined && left.friendlyName !== right.friendlyName
      ? [{ key: 'friendly_name', kind: 'changed', text: `Friendly name ${JSON.stringify(left.friendlyName)} → ${JSON.stringify(right.friendlyName)}` }]
      : [];
  return { left, right, summary, lines: [...renamed, ...summaryLines(summary)] };
}

async function sideOf(spec: string, server: () => twilio.Twilio): Promise<DiffSide> {
  const remote = SERVER_SIDE.exec(spec);
  if (remote) {
    const [, sid, revision] = remote as unknown as [string, string, string | undefined];
    if (revision === undefined) {
      const flow = await server().studio.v2.flows(sid).fetch();
      return { label: `${sid}@${flow.revision} (server)`, definition: flow.definition as FlowDefinition, friendlyName: flow.friendlyName };
    }
    const saved = await server().studio.v2.flows(sid).revisions(revision).fetch();
    return { label: `${sid}@${saved.revision}`, definition: saved.definition as FlowDefinition, friendlyName: saved.friendlyName };
  }
  if (!isFile(spec)) throw new Error(`${spec}: neither a file nor a flow (FW…, or FW…@revision)`);
  const { definition, flow } = readDefinitionFile(spec);
  return { label: relative(spec), definition: definition as FlowDefinition, ...(flow ? { friendlyName: flow.friendly_name } : {}) };
}

const MARK: Record<SummaryLine['kind'], string> = { added: '+', removed: '-', changed: '~', moved: '>' };

/** The diff as text: a header per pair, one line per change; pairs that do not differ print nothing. */
export function formatDiffs(diffs: readonly FlowDiff[]): string {
  return diffs
    .filter((d) => d.lines.length > 0 || !d.summary.same)
    .map((d) => {
      const lines = d.lines.length > 0 ? d.lines.map((l) => `${MARK[l.kind]} ${l.text}`) : ['~ only the order of widgets or keys differs'];
      return [`--- ${d.left.label}`, `+++ ${d.right.label}`, ...lines].join('\n');
    })
    .join('\n\n');
}
