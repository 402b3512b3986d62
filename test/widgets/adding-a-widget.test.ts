import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readerName, widgetReadersSource } from '../../scripts/widget-readers';
import type { ExecutionTrigger } from '../../src/engine/context';
import type { WidgetBehaviour } from '../../src/engine/widget';
import { resolveLimits } from '../../src/engine/limits';
import { runExecution } from '../../src/engine/run';
import { newExecutionState } from '../../src/engine/state';
import { validateFlow } from '../../src/flow/validate';
import { palette } from '../../src/flow/widget-catalog';
import type { WidgetSpec } from '../../src/flow/widget-spec';
import { WIDGET_SPECS } from '../../src/flow/widgets';
import type { Reader } from '../../src/widgets/props';
import { WIDGETS } from '../../src/widgets';
import { newState } from '../../web/src/editor/definition-ops';
import { fieldsFor } from '../../web/src/inspector/fields';
import { suggestionsFor } from '../../web/src/inspector/suggestions';
import { exampleEchoBehaviour } from '../fixtures/example-widget/behaviour';
import { exampleEcho } from '../fixtures/example-widget/spec';
import { flowOf, restTrigger, triggerState } from '../helpers/flows';
import { scriptedHost } from '../helpers/host';

/**
 * README "Adding a widget", done: the Echo widget of test/fixtures/example-widget is a spec, a
 * behaviour and two fixture files; registering it is one line in each registry (done here on
 * this test's own module instances). Everything else follows from the spec with no other file
 * touched: validation, the engine's generated reader, the palette, a dropped widget's name and
 * defaults, its form, the variables suggested after it, and the run.
 */
const FIXTURES = path.join(__dirname, '../fixtures/example-widget');
const cases = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as T[];

/** The reader `npm run generate:widgets` writes for the spec, loaded from a scratch copy of the generated file. */
function generatedReader(): Reader<{ text: string; [key: string]: unknown }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readers-'));
  const props = path.join(__dirname, '../../src/widgets/props');
  const file = path.join(dir, 'readers.generated.ts');
  fs.writeFileSync(file, widgetReadersSource().replace("from './props'", `from ${JSON.stringify(props)}`));
  return (jest.requireActual<Record<string, Reader<{ text: string }>>>(file))[readerName('example-echo')]!;
}

describe('adding a widget', () => {
  let behaviour: WidgetBehaviour<unknown>;
  beforeAll(() => {
    // The one line each registry gets (src/flow/widgets/index.ts, src/widgets/index.ts).
    (WIDGET_SPECS as Record<string, WidgetSpec>)[exampleEcho.type] = exampleEcho;
    behaviour = exampleEchoBehaviour(generatedReader());
    (WIDGETS as Record<string, WidgetBehaviour<unknown>>)[exampleEcho.type] = behaviour;
  });

  it('validates its properties against the spec fixtures', () => {
    for (const c of cases<{ description: string; properties: Record<string, unknown>; valid: boolean; path?: string }>('spec-cases.json')) {
      const result = WIDGET_SPECS['example-echo']!.properties.safeParse(c.properties);
      expect([c.description, result.success]).toEqual([c.description, c.valid]);
      if (!c.valid) expect(result.error?.issues[0]?.path.join('/')).toBe(c.path);
    }
    const flow = flowOf(triggerState({ incomingRequest: 'echo_1' }), { name: 'echo_1', type: 'example-echo', properties: { text: 'hi' }, transitions: [{ event: 'next' }] });
    expect(validateFlow(flow)).toMatchObject({ valid: true, errors: [] });
  });

  it('gets a generated reader, offered in the palette, dropped with its name and defaults, a form and suggestions', () => {
    expect(widgetReadersSource()).toContain(`export const exampleEchoProps = object({\n  text: string,\n`);
    expect(palette().find(([group]) => group === 'Flow Control')![1]).toContain('example-echo');
    const flow = flowOf(triggerState({}));
    const dropped = newState(flow, 'example-echo', { x: 0, y: 100 });
    expect(dropped).toMatchObject({ name: 'echo_1', properties: { text: '' }, transitions: [{ event: 'next' }] });
    expect(fieldsFor('example-echo', dropped.properties)).toEqual([{ key: 'text', label: 'Text to Echo', kind: 'multiline', required: true }]);
    const after = { ...flow, states: [...flow.states, dropped] };
    expect(suggestionsFor(after, undefined)).toContain('widgets.echo_1.text');
  });

  it.each(cases<{ description: string; properties: Record<string, unknown>; data?: Record<string, string>; expect: { event?: string; outputs?: object; failure?: string } }>('behaviour-cases.json').map((c) => [c.description, c] as const))(
    'runs: %s',
    async (_description, c) => {
      const flow = flowOf(triggerState({ incomingRequest: 'w' }), { name: 'w', type: 'example-echo', properties: c.properties, transitions: [{ event: 'next' }] });
      const trigger: ExecutionTrigger = { ...restTrigger(), flowData: c.data ?? {} };
      const state = newExecutionState('FW00000000000000000000000000000001', 'FN00000000000000000000000000000001', flow.initial_state, trigger);
      await runExecution(flow, state, scriptedHost(), { widgets: WIDGETS, limits: resolveLimits(), depth: 0 });
      if (c.expect.failure) return expect(state.failure?.code).toBe(c.expect.failure);
      expect(state.failure).toBeUndefined();
      expect(state.steps[1]!.name).toBe(c.expect.event);
      expect(state.context.widgets.w).toEqual(c.expect.outputs);
    },
  );
});
