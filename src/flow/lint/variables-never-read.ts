import type { FlowDefinition } from '../definition';
import { pointer, type FlowIssue } from '../issues';
import { hasLiquid } from '../values';
import type { LintRule } from './rule';
import { readsOf } from './reads';

/**
 * A Set Variables key nothing reads: it lands in `flow.variables.K` and in `widgets.<its widget>.K`,
 * so a read of either, or of anything holding them whole (`flow.variables | to_json`, `widgets`,
 * `flow.variables[expr]`), counts. A flow that can run as a subflow is not judged: its
 * variables go back to the parent flow.
 */
export const variablesNeverRead: LintRule = {
  id: 'variables-never-read',
  description: 'a Set Variables key that no Liquid in the flow reads',
  check(flow: FlowDefinition): FlowIssue[] {
    const trigger = flow.states.find((s) => s.type === 'trigger');
    if (trigger?.transitions.some((t) => t.event === 'incomingParent' && t.next)) return [];
    const read = new Set<string>();
    for (const { segments } of readsOf(flow)) {
      const [root, second, third] = segments;
      // `flow`, `flow.variables` or `widgets` whole, or computed below them (`flow.variables[k]`): everything is read.
      if ((root === 'flow' && (second === undefined || (second === 'variables' && third === undefined))) || (root === 'widgets' && second === undefined)) return [];
      if (root === 'flow' && second === 'variables') read.add(`flow ${third}`);
      if (root === 'widgets' && second !== undefined) read.add(third === undefined ? `widget ${second}` : `widget ${second} ${third}`);
    }
    const issues: FlowIssue[] = [];
    flow.states.forEach((state, i) => {
      if (state.type !== 'set-variables' || !Array.isArray(state.properties.variables)) return;
      const wholeWidget = read.has(`widget ${state.name}`);
      (state.properties.variables as Array<{ key?: unknown }>).forEach((entry, k) => {
        const key = entry.key;
        // A key with Liquid is named at run time: which one is not known here.
        if (typeof key !== 'string' || hasLiquid(key) || wholeWidget || read.has(`flow ${key}`) || read.has(`widget ${state.name} ${key}`)) return;
        issues.push({
          property_path: pointer('states', i, 'properties', 'variables', k, 'key'),
          message: `"${state.name}" sets flow.variables.${key}, but no Liquid in the flow reads it`,
          code: 'lint:variables-never-read',
        });
      });
    });
    return issues;
  },
};
