import type { FlowDefinition } from '../flow/definition';
import { MIGRATED_EVENT, mapWaitingWidget, type RevisionOf } from '../flow/revision-mapping';
import type { ExecutionState, Step } from './state';

/** Asks a running execution to go on in another revision of its flow from the widget it waits at. */
export interface MigrationRequest {
  /** The migration this belongs to: a repeated request with it is answered, not applied again. */
  readonly migrationSid: string;
  readonly fromRevision: number;
  /** The widget it is expected to wait at (from the dry run). */
  readonly widget: string;
  readonly to: RevisionOf;
}

export type MigrationDecision = { readonly kind: 'migrate' } | { readonly kind: 'already' } | { readonly kind: 'refuse'; readonly reason: string };

/**
 * Whether an execution can switch now. It is refused, never half-applied, when it ended, runs
 * another revision, or moved on from the widget the request names: the request was made from a
 * view of it that is no longer true.
 */
export function migrationDecision(state: ExecutionState, running: RevisionOf, request: MigrationRequest, depth: number): MigrationDecision {
  if (running.revision === request.to.revision) return { kind: 'already' };
  if (state.status !== 'active') return { kind: 'refuse', reason: 'it has ended' };
  if (depth > 0) return { kind: 'refuse', reason: 'it runs as a subflow of another execution' };
  if (running.revision !== request.fromRevision) return { kind: 'refuse', reason: `it runs revision ${running.revision}, not ${request.fromRevision}` };
  if (state.current !== request.widget) return { kind: 'refuse', reason: `it moved on: it is at "${state.current ?? '?'}" now, not "${request.widget}"` };
  const mapping = mapWaitingWidget(running, request.to, request.widget);
  return mapping.mappable ? { kind: 'migrate' } : { kind: 'refuse', reason: mapping.reason };
}

/**
 * Records the switch as a step at the waiting widget (it stays there): the Steps API and the
 * event stream show when, from which revision to which, and by which migration.
 */
export function recordMigration(state: ExecutionState, request: MigrationRequest, from: number, type: string, sid: string, now: Date): Step {
  const step: Step = {
    sid,
    name: MIGRATED_EVENT,
    transitioned_from: request.widget,
    transitioned_to: request.widget,
    type,
    date_created: now.toISOString(),
    changes: {},
    migration: { sid: request.migrationSid, from, to: request.to.revision },
  };
  state.steps.push(step);
  return step;
}

/** The definition to take a widget's transition from: the newest the execution was moved to. */
export type FlowSource = FlowDefinition | (() => FlowDefinition);
