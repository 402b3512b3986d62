import { isConditionType } from '../conditions';
import type { FlowDefinition, Transition } from '../definition';
import { pointer, type FlowIssue } from '../issues';
import type { LintRule } from './rule';
import { acceptsNothing, conditionOf, covers, describe, type Condition } from './condition-sets';

/**
 * A Split Based On… takes the first `match` branch whose conditions all hold (src/widgets/
 * split-based-on.ts). A later branch is dead when one earlier branch holds for every input the
 * later one holds for: each earlier condition is covered by a later condition on the same input.
 * Conditions whose value is Liquid are not judged, so they never make a finding.
 */
export const splitUnreachableCondition: LintRule = {
  id: 'split-unreachable-condition',
  description: 'a Split Based On… branch that an earlier branch always takes first',
  check(flow: FlowDefinition): FlowIssue[] {
    const issues: FlowIssue[] = [];
    flow.states.forEach((state, i) => {
      if (state.type !== 'split-based-on') return;
      const branches = state.transitions.flatMap((transition, t) => (transition.event === 'match' && transition.conditions?.length ? [{ transition, t }] : []));
      branches.forEach((later, b) => {
        const laterConditions = judged(later.transition, state.properties.input, 'later');
        if (!laterConditions) return;
        for (const earlier of branches.slice(0, b)) {
          const earlierConditions = judged(earlier.transition, state.properties.input, 'earlier');
          const why = earlierConditions && coveredBy(earlierConditions, laterConditions);
          if (!why) continue;
          issues.push({
            property_path: pointer('states', i, 'transitions', later.t),
            message: `branch "${label(later.transition, later.t)}" of "${state.name}" can never be taken: the earlier branch "${label(earlier.transition, earlier.t)}" already matches every input it matches (${why})`,
            code: 'lint:split-unreachable-condition',
          });
          break;
        }
      });
    });
    return issues;
  },
};

/**
 * The branch's conditions as far as they can be judged. An earlier branch must be judged whole;
 * a later one may keep unjudged conditions (they only narrow it) but none that can never hold.
 */
function judged(transition: Transition, input: unknown, role: 'earlier' | 'later'): Condition[] | undefined {
  const conditions = (transition.conditions ?? []).map((c) => conditionOf(c, input));
  if (role === 'earlier') return conditions.every((c) => c !== undefined) ? conditions : undefined;
  // A condition of a type the engine does not know fails: such a branch is dead for that reason.
  if ((transition.conditions ?? []).some((c) => !isConditionType(c.type))) return undefined;
  const known = conditions.filter((c) => c !== undefined);
  return known.length > 0 && !known.some(acceptsNothing) ? known : undefined;
}

/** Why every earlier condition holds whenever the later branch does; undefined when not certain. */
function coveredBy(earlier: readonly Condition[], later: readonly Condition[]): string | undefined {
  const reasons: string[] = [];
  for (const e of earlier) {
    const l = later.find((c) => c.input === e.input && covers(e, c));
    if (!l) return undefined;
    reasons.push(`${describe(l)} implies ${describe(e)} on ${e.input || 'an empty input'}`);
  }
  return reasons.join('; ');
}

function label(transition: Transition, t: number): string {
  const names = (transition.conditions ?? []).map((c) => c.friendly_name).filter((n) => typeof n === 'string' && n !== '');
  return names.length > 0 ? names.join(' & ') : `transition ${t}`;
}
