import fs from 'node:fs';
import path from 'node:path';
import type { FlowFile } from '../../flow/flow-file';

/** A flow file as read from disk: a new one (never pushed) has no SID yet. */
export type LocalFlowFile = FlowFile & { readonly sid: string };

/** The flow files of a folder, by name, in name order. */
export function flowFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no such folder`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
}

/** A flow file of `flows pull`; its SID is empty when the flow is not on the server yet. */
export function readFlowFile(file: string): LocalFlowFile {
  const parsed = readJson(file) as Partial<FlowFile> | null;
  if (!parsed || typeof parsed.friendly_name !== 'string' || parsed.definition === undefined) throw new Error(`${file}: not a flow file (friendly_name and definition are needed)`);
  return { sid: parsed.sid ?? '', friendly_name: parsed.friendly_name, status: parsed.status ?? 'draft', revision: parsed.revision ?? 0, test_users: parsed.test_users ?? [], definition: parsed.definition };
}

/**
 * What a file holds, whichever of the two forms: a flow file of `flows pull` (the definition is
 * under `definition`), or a bare definition as Studio's "Show Flow JSON" and its exports give it.
 */
export function readDefinitionFile(file: string): { readonly definition: unknown; readonly base: readonly string[]; readonly flow?: LocalFlowFile } {
  const parsed = readJson(file);
  if (parsed && typeof parsed === 'object' && 'definition' in parsed && 'friendly_name' in parsed) return { definition: (parsed as FlowFile).definition, base: ['definition'], flow: readFlowFile(file) };
  return { definition: parsed, base: [] };
}

export const isFile = (spec: string) => fs.existsSync(spec) && fs.statSync(spec).isFile();
export const relative = (file: string) => path.relative(process.cwd(), file) || file;
