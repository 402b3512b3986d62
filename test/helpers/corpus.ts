import fs from 'node:fs';
import path from 'node:path';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';

/**
 * The real Studio exports in ../shared/studio-flows beside the checkout (read in place, never
 * copied into the project). `STUDIO_CORPUS_DIR` points elsewhere. A missing corpus fails the
 * tests that need it, with this message — it is never skipped.
 */
export const CORPUS_DIR = path.resolve(process.env.STUDIO_CORPUS_DIR ?? path.resolve(__dirname, '../../../shared/studio-flows/flows'));

export function corpusFiles(): string[] {
  if (!fs.existsSync(CORPUS_DIR)) {
    throw new Error(`The Studio flow corpus is not at ${CORPUS_DIR}: check out the project beside ../shared, or set STUDIO_CORPUS_DIR`);
  }
  return fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).sort();
}

export interface CorpusFlow {
  readonly name: string;
  readonly text: string;
  readonly definition: { states: Array<{ name: string; type: string; transitions: Array<{ event: string; next?: string }> }> } & Record<string, unknown>;
}

export function corpusFlows(): CorpusFlow[] {
  return corpusFiles().map((file) => {
      const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
      return { name: file.replace(/\.json$/, ''), text, definition: JSON.parse(text) as CorpusFlow['definition'] };
    });
}

/**
 * The flow with every literal outbound URL (Make HTTP Request, Run Function, …) sent to `base`
 * instead, the original host as the first path segment: for processes that cannot be handed a
 * URL rewrite, so that nothing leaves loopback.
 */
export function withLoopbackUrls(definition: CorpusFlow['definition'], base: string): CorpusFlow['definition'] {
  const states = definition.states.map((state) => {
    const properties = (state as { properties?: Record<string, unknown> }).properties;
    const url = properties?.url;
    if (typeof url !== 'string' || !/^https?:\/\/[^/{}]+/i.test(url)) return state;
    const parsed = new URL(url.replace(/\{\{.*?\}\}/g, 'x'));
    return { ...state, properties: { ...properties, url: `${base}/${parsed.host}${url.slice(url.indexOf(parsed.host) + parsed.host.length)}` } };
  });
  return { ...definition, states };
}

/** A corpus flow's definition read afresh, so that a test may change it. */
export function corpusDefinition(file: string): FlowDefinition {
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8')) as FlowDefinition;
}

/** The widget of `definition` named `name`; a test naming a widget the flow lacks fails here. */
export function widgetNamed(definition: FlowDefinition, name: string): FlowState {
  const found = definition.states.find((s) => s.name === name);
  if (!found) throw new Error(`no widget ${name}`);
  return found;
}
