import type { FlowDefinition } from '../../../src/flow/definition';
import type { FlowValidation } from '../../../src/flow/validate';
import type { ApiClient } from '../api/client';
import type { FlowResource } from '../api/resources';
import type { ExecutionPath } from '../executions/path';

export type { ExecutionPath } from '../executions/path';

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
  /** Records an undo step; edits with the same `mergeKey` in a row (typing in a field) make one. */
  readonly edit: (next: FlowDefinition, mergeKey?: string) => void;
  readonly select: (name: string | undefined) => void;
  /** Replaces the flow after a save/publish/restore done by a panel, and the canvas with its definition. */
  readonly loaded: (flow: FlowResource) => void;
  /** Shows (or, with undefined, clears) an execution's path on the canvas. */
  readonly showPath: (path: ExecutionPath | undefined) => void;
  readonly path: ExecutionPath | undefined;
}
