import type { FlowDefinition } from '../definition';
import type { FlowIssue } from '../issues';
import type { WidgetSpec } from '../widget-spec';
import { WIDGET_SPECS } from '../widgets';
import type { LintRule } from './rule';
import { once, widgetReads, type WidgetRead } from './reads';

/** Liquid reads these of any object (`widgets.x.parsed.size`), so they are never unknown fields. */
const SPECIAL = new Set(['size', 'first', 'last']);

/**
 * `widgets.X.field` where X's type publishes no such output (its spec's `outputs`, each covering
 * what lies below it). Types whose outputs are open-ended are not judged: those that publish
 * flow-named variables, those on a live call (they publish every callback parameter) and retired ones.
 */
export const unknownOutput: LintRule = {
  id: 'unknown-output',
  description: "Liquid reads widgets.X.field where field is not among X's outputs",
  check(flow: FlowDefinition): FlowIssue[] {
    const specOf = (name: string): WidgetSpec | undefined => {
      const states = flow.states.filter((s) => s.name === name);
      const spec = states.length === 1 ? WIDGET_SPECS[states[0]!.type] : undefined;
      return spec && !spec.publishesVariables && !spec.onCall && !spec.legacy ? spec : undefined;
    };
    const wrong = widgetReads(flow).filter((read) => {
      const spec = specOf(read.name);
      return spec !== undefined && !declared(spec.outputs ?? [], fieldOf(read));
    });
    return once(wrong, (r) => `${r.at} ${r.name}.${fieldOf(r).join('.')}`).map((read) => {
      const spec = specOf(read.name)!;
      const outputs = spec.outputs ?? [];
      return {
        property_path: read.at,
        message: `reads widgets.${read.name}.${fieldOf(read).join('.')}, but ${spec.label} "${read.name}" ${
          outputs.length > 0 ? `publishes only ${outputs.join(', ')}` : 'publishes nothing'
        }`,
        code: 'lint:unknown-output',
      };
    });
  },
};

function fieldOf(read: WidgetRead): string[] {
  const field = [...read.field];
  while (field.length > 0 && SPECIAL.has(field[field.length - 1]!)) field.pop();
  return field;
}

/** The field is an output, lies below one (`parsed.x`), or holds some (`inbound` of `inbound.Body`). */
function declared(outputs: readonly string[], field: readonly string[]): boolean {
  if (field.length === 0) return true;
  return outputs.some((output) => {
    const parts = output.split('.');
    const common = Math.min(parts.length, field.length);
    return parts.slice(0, common).every((part, i) => part === field[i]);
  });
}
