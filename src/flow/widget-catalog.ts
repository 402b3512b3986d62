import type { FlowState } from './definition';
import { PALETTE_GROUPS, type PaletteGroup } from './widget-spec';
import { WIDGET_SPECS } from './widgets';

/**
 * What the editor asks of the widget specs, answered from them alone: the widget library, a
 * dropped widget's name and properties, the form's captions and the outputs to suggest.
 */

/** Studio's widget library: each group with its types, in registry order; retired types are not offered. */
export function palette(): ReadonlyArray<readonly [PaletteGroup, readonly string[]]> {
  const types = Object.keys(WIDGET_SPECS);
  return PALETTE_GROUPS.map((group) => [group, types.filter((type) => WIDGET_SPECS[type]!.editor?.group === group)] as const);
}

/** A dropped widget's name prefix: Studio's (`send_message`), else the type's words joined by `_`. */
export function namePrefix(type: string): string {
  return WIDGET_SPECS[type]?.editor?.namePrefix ?? type.replace(/-/g, '_');
}

/** A fresh copy of a dropped widget's default properties. */
export function defaultProperties(type: string): Record<string, unknown> {
  return structuredClone({ ...(WIDGET_SPECS[type]?.editor?.defaults ?? {}) });
}

/** Studio's caption of a property, when the spec names one. */
export function fieldLabel(type: string, key: string): string | undefined {
  return WIDGET_SPECS[type]?.editor?.labels?.[key];
}

export function isMultiline(type: string, key: string): boolean {
  return WIDGET_SPECS[type]?.editor?.multiline?.includes(key) ?? false;
}

export function isAdvanced(type: string, key: string): boolean {
  return WIDGET_SPECS[type]?.editor?.advanced?.includes(key) ?? false;
}

/**
 * The paths a widget makes readable under `widgets.<name>.`: its type's outputs and, for the
 * types that publish variables, the keys its `variables` rows set.
 */
export function outputsOf(state: Pick<FlowState, 'type' | 'properties'>): string[] {
  const spec = WIDGET_SPECS[state.type];
  if (!spec) return [];
  return [...(spec.outputs ?? []), ...(spec.publishesVariables ? variableKeys(state.properties) : [])];
}

/** The keys a Set Variables widget sets (`variables: [{key, value}]`). */
export function variableKeys(properties: Readonly<Record<string, unknown>>): string[] {
  const variables = properties.variables;
  if (!Array.isArray(variables)) return [];
  return (variables as unknown[]).flatMap((v) => {
    const key = typeof v === 'object' && v !== null ? (v as { key?: unknown }).key : undefined;
    return typeof key === 'string' && key.trim() !== '' ? [key.trim()] : [];
  });
}
