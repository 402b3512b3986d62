import type { FlowRecord, FlowStore, RevisionRecord } from '../store/flow-store';

/**
 * The revision an execution for `contact` runs: the latest revision for the flow's test users —
 * a draft, even one with errors, since trying drafts is what test users are for — and the
 * published revision for everyone else (published revisions are always valid). The flow's row
 * names both numbers, so the revision comes from the store's cache of numbered revisions.
 */
export async function revisionFor(store: FlowStore, flow: FlowRecord, contact: string): Promise<RevisionRecord | undefined> {
  if (flow.testUsers.includes(contact)) return store.getRevision(flow.sid, flow.revision);
  return flow.publishedRevision === null ? undefined : store.getRevision(flow.sid, flow.publishedRevision);
}
