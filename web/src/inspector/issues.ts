import type { FlowDefinition } from '../../../src/flow/definition';
import type { FlowIssue } from '../../../src/flow/issues';

/**
 * Where the Inspector shows each validation finding of a widget: next to the property or
 * transition its JSON Pointer names, else at the top of the form. Pure, like `fields.ts`.
 */

export interface Finding {
  readonly issue: FlowIssue;
  readonly severity: 'error' | 'warning';
}

export interface WidgetFindings {
  /** By property key (`#/states/i/properties/<key>/…`). */
  readonly properties: ReadonlyMap<string, Finding[]>;
  /** By transition index (`#/states/i/transitions/<j>/…`). */
  readonly transitions: ReadonlyMap<number, Finding[]>;
  /** About the transitions as a whole (`#/states/i/transitions`: no failure path, …). */
  readonly transitionsAll: readonly Finding[];
  /** Everything else: name, type, the widget itself. */
  readonly general: readonly Finding[];
}

/** The segments of a `#/a/b~1c` JSON Pointer, unescaped. */
export function segmentsOf(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The index of the widget a pointer points into, if any. */
export function stateIndexOf(pointer: string): number | undefined {
  const [root, index] = segmentsOf(pointer);
  return root === 'states' && index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
}

/** The name of the widget a finding is about, to select it from the Problems list. */
export function widgetNameOf(definition: FlowDefinition, pointer: string): string | undefined {
  const index = stateIndexOf(pointer);
  return index === undefined ? undefined : definition.states[index]?.name;
}

export function findingsOf(definition: FlowDefinition, name: string, errors: readonly FlowIssue[], warnings: readonly FlowIssue[]): WidgetFindings {
  const index = definition.states.findIndex((s) => s.name === name);
  const properties = new Map<string, Finding[]>();
  const transitions = new Map<number, Finding[]>();
  const transitionsAll: Finding[] = [];
  const general: Finding[] = [];
  const place = (issue: FlowIssue, severity: Finding['severity']) => {
    if (index < 0 || stateIndexOf(issue.property_path) !== index) return;
    const [, , area, member] = segmentsOf(issue.property_path);
    const finding = { issue, severity };
    if (area === 'properties' && member !== undefined) push(properties, member, finding);
    else if (area === 'transitions' && member !== undefined && /^\d+$/.test(member)) push(transitions, Number(member), finding);
    else if (area === 'transitions') transitionsAll.push(finding);
    else general.push(finding);
  };
  errors.forEach((i) => place(i, 'error'));
  warnings.forEach((i) => place(i, 'warning'));
  return { properties, transitions, transitionsAll, general };
}

function push<K>(map: Map<K, Finding[]>, key: K, finding: Finding): void {
  const list = map.get(key);
  if (list) list.push(finding);
  else map.set(key, [finding]);
}
