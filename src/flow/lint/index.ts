import type { FlowIssue } from '../issues';
import type { FlowLimits } from '../limits';
import { validateFlow } from '../validate';
import type { LintRule } from './rule';
import { splitUnreachableCondition } from './split-unreachable-condition';
import { unknownOutput } from './unknown-output';
import { unknownWidget } from './unknown-widget';
import { variablesNeverRead } from './variables-never-read';
import { widgetNotBefore } from './widget-not-before';

export type { LintRule } from './rule';

/** Every lint rule, one per file named by its id. */
export const LINT_RULES: readonly LintRule[] = [splitUnreachableCondition, widgetNotBefore, unknownWidget, unknownOutput, variablesNeverRead];

export interface FlowLint {
  readonly errors: readonly FlowIssue[];
  readonly warnings: readonly FlowIssue[];
}

/**
 * The server's validator (validateFlow, unchanged) plus LINT_RULES as warnings. The rules read a
 * typed definition, so they run only when the schema stage passed.
 */
export function lintFlow(input: unknown, limits?: FlowLimits): FlowLint {
  const validation = validateFlow(input, limits);
  const { definition } = validation;
  if (!definition) return { errors: validation.errors, warnings: validation.warnings };
  return { errors: validation.errors, warnings: [...validation.warnings, ...LINT_RULES.flatMap((rule) => rule.check(definition))] };
}
