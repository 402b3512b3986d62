import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { GENERATED_READERS_PATH, widgetReadersSource } from '../../scripts/widget-readers';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import { WIDGETS } from '../../src/widgets';
import { corpusFlows } from '../helpers/corpus';

/**
 * The engine reads widget properties without zod (see src/widgets/props.ts), with readers
 * generated from the zod specs the API validates with. This test keeps the two from drifting:
 * the generated file is what the specs generate; the registries name the same types; whatever
 * the spec accepts (its fixtures, every state of the corpus) the engine reads identically; and
 * whatever the spec refuses for its JSON type (not for a refinement such as a URL's scheme or
 * Liquid) the engine refuses too. Behaviour fixtures must hold properties the spec accepts, and
 * their events and outputs are checked against the spec in widgets.test.ts.
 */

interface SpecCase {
  readonly description: string;
  readonly properties: Record<string, unknown>;
  readonly valid: boolean;
}

const ROOT = path.join(__dirname, '../..');
const specCases = (type: string): SpecCase[] => JSON.parse(fs.readFileSync(path.join(__dirname, '../flow/widget-specs', `${type}.json`), 'utf8')) as SpecCase[];
const behaviourCases = (type: string): Array<{ description: string; properties: Record<string, unknown>; expect: { failure?: string } }> =>
  JSON.parse(fs.readFileSync(path.join(__dirname, `${type}.json`), 'utf8')) as never;

/** What the engine reads, or the error it ends the execution with. */
function engineRead(type: string, properties: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: WIDGETS[type]!.parse(properties) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** True when zod refuses the value for its JSON type alone: every issue (and every branch of a failed union) is `invalid_type`. */
function typeOnly(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.every((issue) => issue.code === 'invalid_type' || (issue.code === 'invalid_union' && issue.errors.every((branch) => branch.length > 0 && typeOnly(branch))));
}

describe('widget spec and engine reader', () => {
  it(`generate ${GENERATED_READERS_PATH} (run \`npm run generate:widgets\` after changing a spec)`, () => {
    expect(fs.readFileSync(path.join(ROOT, GENERATED_READERS_PATH), 'utf8')).toBe(widgetReadersSource());
  });

  it('are registered for the same widget types', () => {
    expect(Object.keys(WIDGETS).sort()).toEqual(Object.keys(WIDGET_SPECS).sort());
  });

  it.each(Object.keys(WIDGET_SPECS))('%s: every value its spec accepts is read identically, every type error refused by both', (type) => {
    const spec = WIDGET_SPECS[type]!.properties;
    const accepted = [...specCases(type).filter((c) => c.valid).map((c) => ({ where: c.description, properties: c.properties }))];
    for (const flow of corpusFlows()) {
      for (const state of flow.definition.states) if (state.type === type) accepted.push({ where: `${flow.name} ${state.name}`, properties: (state as unknown as { properties: Record<string, unknown> }).properties });
    }
    const drift: string[] = [];
    for (const { where, properties } of accepted) {
      const expected = spec.parse(properties);
      const read = engineRead(type, properties);
      if (!read.ok) drift.push(`${where}: the spec accepts it, the engine refuses it: ${read.message}`);
      else if (!isDeepStrictEqual(read.value, expected)) drift.push(`${where}: read as ${JSON.stringify(read.value)}, the spec gives ${JSON.stringify(expected)}`);
    }
    for (const c of specCases(type).filter((x) => !x.valid)) {
      const result = spec.safeParse(c.properties);
      if (result.success) drift.push(`${c.description}: a case to refuse, but the spec accepts it`);
      else if (typeOnly(result.error.issues) && engineRead(type, c.properties).ok) drift.push(`${c.description}: the spec refuses its type (${result.error.issues[0]!.message}), the engine reads it`);
    }
    expect(drift).toEqual([]);
  });

  it.each(Object.keys(WIDGETS))('%s: its behaviour fixtures hold properties the spec accepts', (type) => {
    const refused = behaviourCases(type)
      .filter((c) => c.expect.failure !== 'widget:invalid-properties')
      .flatMap((c) => {
        const result = WIDGET_SPECS[type]!.properties.safeParse(c.properties);
        return result.success ? [] : [`${c.description}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`];
      });
    expect(refused).toEqual([]);
  });
});
