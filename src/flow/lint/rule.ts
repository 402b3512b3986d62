import type { FlowDefinition } from '../definition';
import type { FlowIssue } from '../issues';

/**
 * A check `open-studio flows lint` adds to the server's validator: findings Studio does not
 * make, all warnings. Every issue's code is `lint:${id}`. (Its own file: the rules and the
 * registry both need it, and the import graph has no cycles.)
 */
export interface LintRule {
  readonly id: string;
  readonly description: string;
  check(flow: FlowDefinition): FlowIssue[];
}
