import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../../src/engine/errors';
import { resolveLimits } from '../../src/engine/limits';
import { TemplateRenderer } from '../../src/engine/liquid';
import { pacificOffsetAt, pacificWallClockToInstant } from '../../src/flow/pacific-time';

/** Where Studio's Liquid differs from liquidjs's defaults: each case cites the page it follows. */
interface Fixture {
  readonly sources: Record<string, string>;
  readonly context: Record<string, unknown>;
  readonly cases: ReadonlyArray<{
    readonly name: string;
    readonly source: string;
    readonly template: string;
    readonly expected?: string;
    readonly error?: string;
    /** What executions recorded before the change rendered (of `legacyTemplate` when given). */
    readonly legacy?: string;
    readonly legacyTemplate?: string;
    /** The execution's clock, for `now`. */
    readonly now?: string;
  }>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'liquid-studio.json'), 'utf8')) as Fixture;

const clock = (now: string | undefined) => () => new Date(now ?? 'invalid');

function render(template: string, studio: boolean, now?: string): string {
  // Executions recorded before the change render with liquidjs's own date code, which reads the
  // (workflow) clock through Date.now.
  if (now && !studio) jest.useFakeTimers({ now: Date.parse(now) });
  try {
    return new TemplateRenderer(resolveLimits({}), { applies: () => studio, now: clock(now) }).render(template, fixture.context as never);
  } finally {
    jest.useRealTimers();
  }
}

describe("Studio's Liquid semantics (test/engine/liquid-studio.json)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(fixture.sources[c.source]).toMatch(/^https:\/\//);
    if (c.error !== undefined) {
      let thrown: unknown;
      try {
        render(c.template, true, c.now);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(FlowError);
      expect(thrown).toMatchObject({ code: 'template:render', twilioCode: 84003, message: expect.stringContaining(c.error) });
    } else {
      expect(render(c.template, true, c.now)).toBe(c.expected);
    }
    if (c.legacy !== undefined) expect(render(c.legacyTemplate ?? c.template, false, c.now)).toBe(c.legacy);
  });

  it('asks whether the semantics apply only when a template uses a filter they change', () => {
    const asked: string[] = [];
    const renderer = new TemplateRenderer(resolveLimits({}), {
      applies: () => {
        asked.push('asked');
        return true;
      },
    });
    renderer.render('{{ flow.variables.count | plus: 1 }} {{ "a" | upcase }}', fixture.context as never);
    expect(asked).toEqual([]);
    renderer.render('{{ 9 | divided_by: 2 }}', fixture.context as never);
    expect(asked).toEqual(['asked']);
  });

  it('does not depend on the machine time zone', () => {
    // The rules are computed, not read from the runtime's zone data (see src/flow/pacific-time.ts).
    expect(pacificOffsetAt(Date.parse('2006-04-02T09:59:00Z'))).toBe(480);
    expect(pacificOffsetAt(Date.parse('2006-04-02T10:00:00Z'))).toBe(420);
    expect(pacificOffsetAt(Date.parse('2006-10-29T08:59:00Z'))).toBe(420);
    expect(pacificOffsetAt(Date.parse('2006-10-29T09:00:00Z'))).toBe(480);
    // 02:30 on 8 March 2026 never happened: the standard offset reads it as 03:30 daylight time.
    expect(new Date(pacificWallClockToInstant(Date.parse('2026-03-08T02:30:00Z'))).toISOString()).toBe('2026-03-08T10:30:00.000Z');
    // 01:30 on 1 November 2026 happened twice: the first one.
    expect(new Date(pacificWallClockToInstant(Date.parse('2026-11-01T01:30:00Z'))).toISOString()).toBe('2026-11-01T08:30:00.000Z');
  });
});
