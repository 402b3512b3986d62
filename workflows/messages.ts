import { defineQuery } from '@temporalio/workflow';
import type { ExecutionState } from '../src/engine/state';

/**
 * The messages an execution workflow understands. The API imports these definitions, so the
 * contract between callers and the workflow lives in one place.
 */

/** The interpreter state: status, current widget, context and steps. Served from memory, no history. */
export const executionSnapshot = defineQuery<ExecutionState>('executionSnapshot');
