import fs from 'node:fs';
import path from 'node:path';

/** The real Studio exports in ../shared/studio-flows (read in place, never copied). */
export const CORPUS_DIR = path.resolve(__dirname, '../../../shared/studio-flows/flows');

export interface CorpusFlow {
  readonly name: string;
  readonly text: string;
  readonly definition: { states: Array<{ name: string; type: string; transitions: Array<{ event: string; next?: string }> }> } & Record<string, unknown>;
}

export function corpusFlows(): CorpusFlow[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
      return { name: file.replace(/\.json$/, ''), text, definition: JSON.parse(text) as CorpusFlow['definition'] };
    });
}
