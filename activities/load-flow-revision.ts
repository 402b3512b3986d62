import type { RevisionChoice } from '../src/engine/effects';
import type { FlowDefinition } from '../src/flow/definition';
import type { FlowStore } from '../src/store/flow-store';

export type LoadedRevision =
  | { readonly found: true; readonly flowSid: string; readonly revision: number; readonly definition: FlowDefinition }
  | { readonly found: false; readonly message: string };

/**
 * Reads a flow revision for Run Subflow. Its result is recorded in history, so a replay runs
 * the revision the execution first saw, whatever has been published since.
 */
export async function loadFlowRevision(store: FlowStore, flowSid: string, choice: RevisionChoice): Promise<LoadedRevision> {
  const revision = await store.getRevision(flowSid, choice);
  if (!revision) return { found: false, message: `Flow ${flowSid} has no revision ${String(choice)}` };
  if (!revision.valid) return { found: false, message: `Flow ${flowSid} revision ${revision.revision} is not valid` };
  return { found: true, flowSid, revision: revision.revision, definition: revision.definition as FlowDefinition };
}
