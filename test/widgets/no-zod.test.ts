import fs from 'node:fs';
import path from 'node:path';
import type { WidgetRegistry } from '../../src/engine/widget';

/**
 * The widgets run in the workflow bundle, which Temporal evaluates anew for every cached
 * workflow: zod there costs ~550 KiB of worker memory per workflow. They read their properties
 * with `src/widgets/props.ts` instead; zod stays in src/flow, where flows are validated on save.
 */
const ZOD_ENTRIES = ['zod', 'zod/mini', 'zod/v4', 'zod/v4/core', 'zod/v4-mini', 'zod/v3'];
const DIR = path.join(__dirname, '../../src/widgets');

describe('widgets', () => {
  it('import no zod, and still read and refuse properties', () => {
    jest.isolateModules(() => {
      for (const entry of ZOD_ENTRIES) {
        jest.doMock(entry, () => {
          throw new Error(`${entry} imported by src/widgets`);
        });
      }
      // Every module, not only those the registry reaches.
      for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'))) jest.requireActual(path.join(DIR, file));

      const { WIDGETS } = jest.requireActual<{ WIDGETS: WidgetRegistry }>('../../src/widgets');
      expect(Object.keys(WIDGETS).length).toBeGreaterThan(20);
      const props = { variables: [{ key: 'greeting', value: 'hi' }] };
      expect(WIDGETS['set-variables']!.parse(props)).toEqual(props);
      expect(WIDGETS['make-http-request']!.parse({ url: 'https://example.test', method: 'GET' })).toEqual({ url: 'https://example.test', method: 'GET' });
      expect(() => WIDGETS['make-http-request']!.parse({ url: 'https://example.test' })).toThrow('method: Invalid input: expected string, received undefined');
      expect(() => WIDGETS['set-variables']!.parse({ variables: [{ key: '' }] })).toThrow(
        'Invalid set-variables properties: variables.0.key: expected at least 1 character',
      );
    });
  });
});
