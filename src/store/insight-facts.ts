import type { Transaction } from 'kysely';
import { MIGRATED_EVENT } from '../flow/revision-mapping';
import type { StoreSchema } from './schema';

/** An execution that started: its row of flow insights. Times in epoch milliseconds. */
export interface ExecutionStarted {
  readonly executionSid: string;
  readonly accountSid: string;
  readonly flowSid: string;
  readonly revision: number;
  readonly trigger: string;
  readonly startedAt: number;
}

export interface ExecutionEnded {
  readonly executionSid: string;
  readonly endedAt: number;
  readonly endedReason: string;
}

/** A step: the transition a widget took. */
export interface StepTaken {
  readonly executionSid: string;
  readonly sequence: number;
  readonly accountSid: string;
  readonly flowSid: string;
  readonly revision: number;
  readonly widget: string;
  readonly widgetType: string;
  readonly event: string;
  readonly next: string;
  readonly at: number;
  readonly errorCode: string | null;
}

/** What a batch of newly recorded events says for flow insights, in the order it happened. */
export interface InsightFacts {
  readonly started: readonly ExecutionStarted[];
  readonly steps: readonly StepTaken[];
  readonly ended: readonly ExecutionEnded[];
}

export const NO_FACTS: InsightFacts = { started: [], steps: [], ended: [] };

/**
 * Writes facts inside the transaction that records their events. The outbox hands over only
 * events it had not stored before, so each fact is written once; the conflict clauses keep a
 * fact repeated anyway (an execution started twice cannot be) from failing the batch.
 */
export async function writeInsightFacts(tx: Transaction<StoreSchema>, facts: InsightFacts): Promise<void> {
  if (facts.started.length > 0) {
    await tx
      .insertInto('insight_executions')
      .values(facts.started.map((f) => ({ execution_sid: f.executionSid, account_sid: f.accountSid, flow_sid: f.flowSid, revision: f.revision, trigger: f.trigger, started_at: f.startedAt, ended_at: null, ended_reason: null })))
      .onConflict((oc) => oc.column('execution_sid').doNothing())
      .execute();
  }
  if (facts.steps.length > 0) {
    await tx
      .insertInto('insight_steps')
      .values(
        facts.steps.map((f) => ({
          execution_sid: f.executionSid,
          sequence: f.sequence,
          account_sid: f.accountSid,
          flow_sid: f.flowSid,
          revision: f.revision,
          widget: f.widget,
          widget_type: f.widgetType,
          event: f.event,
          next: f.next,
          at: f.at,
          error_code: f.errorCode,
        })),
      )
      .onConflict((oc) => oc.columns(['execution_sid', 'sequence']).doNothing())
      .execute();
  }
  // A migrated execution counts for the revision it runs now.
  for (const f of facts.steps.filter((step) => step.event === MIGRATED_EVENT)) {
    await tx.updateTable('insight_executions').set({ revision: f.revision }).where('execution_sid', '=', f.executionSid).where('flow_sid', '=', f.flowSid).execute();
  }
  for (const f of facts.ended) {
    await tx.updateTable('insight_executions').set({ ended_at: f.endedAt, ended_reason: f.endedReason }).where('execution_sid', '=', f.executionSid).execute();
  }
}
