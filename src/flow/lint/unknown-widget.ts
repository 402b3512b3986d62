import type { FlowDefinition } from '../definition';
import type { FlowIssue } from '../issues';
import type { LintRule } from './rule';
import { once, widgetReads } from './reads';

/** `widgets.X` where the flow has no widget X: a typo, or a widget renamed or deleted since. */
export const unknownWidget: LintRule = {
  id: 'unknown-widget',
  description: 'Liquid reads widgets.X but the flow has no widget named X',
  check(flow: FlowDefinition): FlowIssue[] {
    const names = flow.states.map((s) => s.name);
    const unknown = widgetReads(flow).filter((read) => !names.includes(read.name));
    return once(unknown, (r) => `${r.at} ${r.name}`).map((read) => {
      // Names are case-sensitive in Liquid: the near miss is the usual cause.
      const near = names.find((n) => n.toLowerCase() === read.name.toLowerCase());
      return {
        property_path: read.at,
        message: `reads widgets.${read.name}, but no widget is named "${read.name}"${near ? ` (did you mean "${near}"?)` : ''}`,
        code: 'lint:unknown-widget',
      };
    });
  },
};
