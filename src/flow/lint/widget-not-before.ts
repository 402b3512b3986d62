import type { FlowDefinition } from '../definition';
import type { FlowIssue } from '../issues';
import { reachableFrom } from '../validate-graph';
import type { LintRule } from './rule';
import { once, widgetReads } from './reads';

/**
 * A widget's outputs exist only once it has run: reading them where no path leads from it to the
 * reader always reads nothing. A widget on a loop comes before itself (its last run's outputs).
 */
export const widgetNotBefore: LintRule = {
  id: 'widget-not-before',
  description: 'Liquid reads widgets.X where X never runs before the reading widget',
  check(flow: FlowDefinition): FlowIssue[] {
    const byName = new Map(flow.states.map((s) => [s.name, s]));
    const after = new Map<string, Set<string>>();
    // What `name` leads to in one step or more: itself only through a loop.
    const reachedBy = (name: string) => {
      let reached = after.get(name);
      if (!reached) {
        const next = byName.get(name)!.transitions.flatMap((t) => (t.next ? [t.next] : []));
        after.set(name, (reached = reachableFrom(flow, next)));
      }
      return reached;
    };
    const late = widgetReads(flow).filter((read) => byName.has(read.name) && !reachedBy(read.name).has(flow.states[read.state]!.name));
    return once(late, (r) => `${r.at} ${r.name}`).map((read) => {
      const reader = flow.states[read.state]!.name;
      return {
        property_path: read.at,
        message: `"${reader}" reads widgets.${read.name}, but no path leads from "${read.name}" to "${reader}": it has never run there, so this is always empty`,
        code: 'lint:widget-not-before',
      };
    });
  },
};
