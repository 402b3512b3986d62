import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { FlowDefinition } from '../../src/flow/definition';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import { CORPUS_DIR, corpusFiles } from '../helpers/corpus';

/**
 * The widget specs against three sources: the widget types of the real corpus, the corpus
 * itself (every state must validate and round-trip unchanged) and per-widget fixtures of valid
 * and invalid properties in `widget-specs/<type>.json` (one file per registered type: adding a
 * widget means adding its fixtures, and nothing else in this test).
 */


const FIXTURE_DIR = path.join(__dirname, 'widget-specs');

interface FixtureCase {
  description: string;
  properties: Record<string, unknown>;
  valid: boolean;
  path?: string;
}

function loadFixtures(type: string): FixtureCase[] | undefined {
  const file = path.join(FIXTURE_DIR, `${type}.json`);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureCase[];
}

describe('widget registry', () => {
  it('holds a type for every widget of the corpus, and every type has its fixtures', () => {
    const used = new Set(corpusFiles().flatMap((file) => (JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8')) as FlowDefinition).states.map((s) => s.type)));
    for (const type of used) expect(Object.keys(WIDGET_SPECS)).toContain(type);
    const fixtures = fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    expect(Object.keys(WIDGET_SPECS).sort()).toEqual(fixtures.sort());
  });

  it.each(Object.entries(WIDGET_SPECS))('%s describes itself for the editor consistently', (type, spec) => {
    const keys = Object.keys(z.toJSONSchema(spec.properties, { io: 'input', unrepresentable: 'any' }).properties ?? {});
    const named = [...Object.keys(spec.editor?.labels ?? {}), ...(spec.editor?.multiline ?? []), ...(spec.editor?.advanced ?? []), ...Object.keys(spec.editor?.defaults ?? {})];
    expect(named.filter((key) => !keys.includes(key))).toEqual([]);
    // Only what Studio still offers is in the palette (a dropped widget's validity: test/web/editor-model.test.ts).
    expect(spec.editor?.group === undefined || !spec.legacy).toBe(true);
    expect(type === 'trigger' || spec.legacy || spec.editor?.group !== undefined).toBe(true);
  });

  it.each(Object.entries(WIDGET_SPECS))('%s is consistent', (key, spec) => {
    expect(spec.type).toBe(key);
    expect(spec.label.length).toBeGreaterThan(0);
    expect(spec.events.length).toBeGreaterThan(0);
    expect(new Set(spec.events).size).toBe(spec.events.length);
    const named = [spec.failureEvent, spec.timeoutEvent, ...(spec.repeatableEvents ?? [])].filter((e) => e !== undefined);
    for (const event of named) expect(spec.events).toContain(event);
  });
});

describe('real Studio corpus', () => {
  it('validates every state and keeps its properties unchanged', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    const types = new Set<string>();
    let states = 0;
    for (const file of files) {
      const flow = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8')) as FlowDefinition;
      for (const state of flow.states) {
        states += 1;
        types.add(state.type);
        const where = `${file} ${state.name} (${state.type})`;
        const spec = WIDGET_SPECS[state.type];
        if (!spec) {
          problems.push(`${where}: no spec`);
          continue;
        }
        const parsed = spec.properties.safeParse(state.properties);
        if (!parsed.success) {
          problems.push(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('/')} ${i.message}`).join('; ')}`);
        } else if (!isDeepStrictEqual(parsed.data, state.properties)) {
          problems.push(`${where}: properties changed by parsing`);
        }
        for (const transition of state.transitions) {
          if (!spec.events.includes(transition.event)) problems.push(`${where}: unknown event "${transition.event}"`);
        }
      }
    }
    console.log(`widget specs vs corpus: ${files.length} flows, ${states} states, ${types.size} widget types`);
    expect(problems).toEqual([]);
  });

  it('round-trips unknown properties', () => {
    for (const file of corpusFiles()) {
      const flow = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8')) as FlowDefinition;
      for (const state of flow.states) {
        const parsed = WIDGET_SPECS[state.type]?.properties.safeParse(state.properties);
        expect(parsed?.data).toStrictEqual(state.properties);
      }
    }
  });
});

describe('widget fixtures', () => {
  it.each(Object.keys(WIDGET_SPECS))('%s has a fixture file with at least 2 valid and 2 invalid cases', (type) => {
    const cases = loadFixtures(type);
    expect(cases).toBeDefined();
    expect(cases!.filter((c) => c.valid).length).toBeGreaterThanOrEqual(2);
    expect(cases!.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(2);
  });

  it('has no fixture file for an unknown type', () => {
    const types = fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    expect(types.filter((t) => !(t in WIDGET_SPECS))).toEqual([]);
  });

  for (const type of Object.keys(WIDGET_SPECS)) {
    const cases = loadFixtures(type) ?? [];
    if (cases.length === 0) continue;
    describe(type, () => {
      it.each(cases)('$description', ({ properties, valid, path: expectedPath }) => {
        const result = WIDGET_SPECS[type]!.properties.safeParse(properties);
        if (valid) {
          expect(result.error?.issues).toBeUndefined();
        } else {
          expect(expectedPath).toBeDefined();
          expect(result.success).toBe(false);
          expect(result.error?.issues[0]?.path.join('/')).toBe(expectedPath);
        }
      });
    });
  }
});
