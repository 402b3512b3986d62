import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LentCallAnswer, LentCallNews, VoiceAnswer, VoiceTurn } from '../src/engine/call';
import type { JsonObject } from '../src/engine/json';
import type { InboundEvent } from '../src/engine/mailbox';
import type { MigrationRequest } from '../src/engine/migrate';
import type { ExecutionState } from '../src/engine/state';

/**
 * The messages an execution workflow understands. The API imports these definitions, so the
 * contract between callers and the workflow lives in one place.
 */

/** The interpreter state: status, current widget, initial context and step deltas. No history written. */
export const executionSnapshot = defineQuery<ExecutionState>('executionSnapshot');

/** Ends the execution now (Executions API `Status=ended`): waits are abandoned, in-flight calls cancelled. */
export const endExecution = defineSignal('endExecution');

/** A message from the contact (or a conversation participant) for this execution. */
export const inboundMessage = defineSignal<[InboundEvent]>('inboundMessage');

/** A status callback of a message this execution sent (`MessageStatus`, `ErrorCode`, …). */
export const messageStatus = defineSignal<[JsonObject]>('messageStatus');

/** A webhook of the execution's call asking for TwiML; the answer is the TwiML (as data). */
export const voiceTurn = defineUpdate<VoiceAnswer, [VoiceTurn]>('voiceTurn');

/** A call status callback (`CallStatus` completed, busy, no-answer, …). */
export const callStatus = defineSignal<[JsonObject]>('callStatus');

/** Parent to subflow: news of the call the parent lent it (new turns, the call's end). */
export const lentCallNews = defineSignal<[LentCallNews]>('lentCallNews');

/** Subflow to parent: its answer to one of the parent's turns. */
export const lentCallAnswer = defineSignal<[LentCallAnswer]>('lentCallAnswer');

/** What a migration request did: the execution moved now, or had moved before (a repeat). */
export interface MigrationAnswer {
  readonly outcome: 'migrated' | 'already';
  readonly fromRevision: number;
  readonly toRevision: number;
}

/**
 * Moves a waiting execution to another revision of its flow (see src/engine/migrate.ts). The
 * validator refuses an execution that moved on, ended or runs another revision, so a request
 * made from a stale view changes nothing.
 */
export const migrateExecution = defineUpdate<MigrationAnswer, [MigrationRequest]>('migrateExecution');
