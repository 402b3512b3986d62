import type * as Zod from 'zod';
import type { WidgetRegistry } from '../../src/engine/widget';

/**
 * Every Temporal workflow evaluates the widget modules anew, so a zod schema built when a widget
 * module loads is paid by every execution, for every widget, used or not. Loading the registry
 * must build none; a widget builds its schema when it first parses properties, and keeps it.
 */

/** `namespace` with each of its factories (`z.string`, `z.looseObject`, …) reporting its calls. */
function counting<T extends object>(namespace: T, onCall: (name: string) => void): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(namespace)) {
    const factory = typeof value === 'function' && /^[a-z]/.test(name);
    wrapped[name] = factory
      ? (...args: unknown[]): unknown => {
          onCall(name);
          return Reflect.apply(value as (...a: unknown[]) => unknown, namespace, args);
        }
      : value;
  }
  return wrapped as T;
}

describe('widget schemas', () => {
  it('are built on first use, not when the registry loads', () => {
    const calls: string[] = [];
    jest.isolateModules(() => {
      jest.doMock('zod', () => {
        const real = jest.requireActual<typeof Zod>('zod');
        const record = (name: string) => calls.push(name);
        return { ...counting(real, record), z: counting(real.z, record) };
      });
      // A fresh registry (the registry itself is not mocked: its modules' zod is the counting one).
      const { WIDGETS } = jest.requireActual<{ WIDGETS: WidgetRegistry }>('../../src/widgets');
      expect(Object.keys(WIDGETS).length).toBeGreaterThan(20);
      expect(calls).toEqual([]);

      const props = { variables: [{ key: 'greeting', value: 'hi' }] };
      expect(WIDGETS['set-variables']!.parse(props)).toEqual(props);
      const built = calls.length;
      expect(built).toBeGreaterThan(0);

      WIDGETS['set-variables']!.parse(props);
      expect(calls).toHaveLength(built);
    });
  });
});
