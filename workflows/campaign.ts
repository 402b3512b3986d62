import { CancellationScope, condition, continueAsNew, defineQuery, defineSignal, isCancellation, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { quietUntil, type QuietHours } from '../src/campaigns/quiet-hours';
import type { CampaignStatus } from '../src/campaigns/status';

/** A campaign: its SID (the list is in the store) and how fast, and when, it may start contacts. */
export interface CampaignInput {
  readonly campaignSid: string;
  /** Executions started per second: one batch of this many, then the rest of the second. */
  readonly rate: number;
  readonly quietHours?: QuietHours;
  readonly timeZone: string;
  /** Carried through continue-as-new. */
  readonly paused?: boolean;
  /** Tests only: continue as new after this many batches, whatever Temporal suggests. */
  readonly batchesPerRun?: number;
}

export type CampaignOutcome = 'completed' | 'cancelled';

export interface CampaignBatchResult {
  /** Contacts taken from the list; 0: the list is done. */
  readonly claimed: number;
  readonly started: number;
  readonly skipped: number;
  readonly failed: number;
}

/**
 * The activities a campaign needs (src/services/campaign-activities.ts implements them), declared
 * here: they start executions, which the workflow bundle must not import.
 */
export interface CampaignActivities {
  startCampaignBatch(campaignSid: string, limit: number): Promise<CampaignBatchResult>;
  setCampaignStatus(campaignSid: string, status: CampaignStatus): Promise<void>;
}

export const pauseCampaign = defineSignal('pauseCampaign');
export const resumeCampaign = defineSignal('resumeCampaign');
export const cancelCampaign = defineSignal('cancelCampaign');
/** What the campaign is doing now: `starting`, `paused`, `quiet` (until when) or `cancelled`. */
export const campaignState = defineQuery<{ readonly state: 'starting' | 'paused' | 'quiet' | 'cancelled'; readonly quietUntil?: string }>('campaignState');

// A batch starts at most `rate` contacts, one second's worth: well within a minute even when slow.
const { startCampaignBatch, setCampaignStatus } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20 seconds',
  cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Batches per run before continuing as new: 11 history events each (activity 3, its workflow
 * task 3, the rest-of-the-second timer 2, its workflow task 3), so a run stays near 3,300
 * events, under the 4,096 at which Temporal suggests continuing as new (also followed).
 */
export const BATCHES_PER_RUN = 300;
const SECOND_MS = 1_000;
/** Workflow time (deterministic here: the time of the task being replayed). */
const nowMs = () => new Date().getTime();

/**
 * Starts one execution per contact of a campaign's list at its rate, outside its quiet hours,
 * until the list is done or the campaign is cancelled. The list is paged from the store a batch
 * at a time (never carried in history), and each run continues as new after a bounded number of
 * batches, so the history stays small however long the list.
 */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignOutcome> {
  let paused = input.paused ?? false;
  let cancelled = false;
  let quiet: Date | undefined;
  const batch = new CancellationScope();
  setHandler(pauseCampaign, () => void (paused = true));
  setHandler(resumeCampaign, () => void (paused = false));
  setHandler(cancelCampaign, () => {
    cancelled = true;
    // New starts stop at once: the batch in flight stops between two contacts.
    batch.cancel();
  });
  setHandler(campaignState, () => ({ state: cancelled ? 'cancelled' : paused ? 'paused' : quiet ? 'quiet' : 'starting', ...(quiet ? { quietUntil: quiet.toISOString() } : {}) }));

  // The status the store shows, written only when it changes (once more after continue-as-new).
  let shown: CampaignStatus | undefined;
  const show = async (status: CampaignStatus) => {
    if (status === shown) return;
    shown = status;
    await setCampaignStatus(input.campaignSid, status);
  };

  for (let batches = 0; ; batches++) {
    if (paused && !cancelled) await show('paused');
    await condition(() => !paused || cancelled);
    if (cancelled) break;
    quiet = input.quietHours ? quietUntil(new Date(), input.quietHours, input.timeZone) : undefined;
    if (quiet) {
      await condition(() => paused || cancelled, quiet.getTime() - nowMs());
      quiet = undefined;
      continue;
    }
    await show('running');
    const began = nowMs();
    const done = await batch.run(() => startCampaignBatch(input.campaignSid, input.rate)).catch((err: unknown) => {
      if (cancelled && isCancellation(err)) return undefined;
      throw err;
    });
    if (cancelled) break;
    if (done?.claimed === 0) {
      await show('completed');
      return 'completed';
    }
    await sleep(Math.max(0, SECOND_MS - (nowMs() - began)));
    if (batches + 1 >= (input.batchesPerRun ?? BATCHES_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof campaignWorkflow>({ ...input, paused });
    }
  }
  await show('cancelled');
  return 'cancelled';
}
