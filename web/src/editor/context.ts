import type { FlowDefinition } from '../../../src/flow/definition';
import type { FlowValidation } from '../../../src/flow/validate';
import type { ApiClient } from '../api/client';
import type { FlowResource } from '../api/resources';

/** An execution's path drawn on the canvas: where it passed (in order) and the transitions it took. */
export interface ExecutionPath {
  /** Widget name → the step numbers (1-based) at which the execution entered it. */
  readonly visits: ReadonlyMap<string, number[]>;
  /** Edge ids (`editor/graph.ts` `edgeId`) of the transitions taken. */
  readonly taken: ReadonlySet<string>;
  /** The widget the execution is at (or ended at). */
  readonly current?: string;
  /** The revision the execution ran, when it differs from the one being edited. */
  readonly definition?: FlowDefinition;
  /** What the panel showing the path calls it, e.g. "Execution FN…". */
  readonly title: string;
}

/**
 * What every side panel of the editor gets: the flow as saved, the definition being edited (with
 * its live validation), the selection, and the ways to change them. Panels never hold their own
 * copy of the definition: `edit` records an undo step and re-renders the canvas.
 */
export interface EditorContext {
  readonly api: ApiClient;
  /** The flow as last read from or saved to the server. */
  readonly flow: FlowResource;
  /** The definition on the canvas (may differ from `flow.definition` until saved). */
  readonly definition: FlowDefinition;
  /** `validateFlow` of `definition`, the same check the server runs. */
  readonly validation: FlowValidation;
  /** True while `definition` differs from the saved draft. */
  readonly dirty: boolean;
  readonly selected: string | undefined;
  readonly edit: (next: FlowDefinition) => void;
  readonly select: (name: string | undefined) => void;
  /** Replaces the flow after a save/publish/restore done by a panel, and the canvas with its definition. */
  readonly loaded: (flow: FlowResource) => void;
  /** Shows (or, with undefined, clears) an execution's path on the canvas. */
  readonly showPath: (path: ExecutionPath | undefined) => void;
  readonly path: ExecutionPath | undefined;
}
