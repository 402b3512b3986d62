import { uuid4 } from '@temporalio/workflow';
import type { EngineHost } from '../src/engine/host';

/**
 * The engine host inside a workflow: time is workflow time and ids come from the workflow's
 * seeded randomness, so a replay produces the same steps.
 */
export function temporalHost(): EngineHost {
  return {
    now: () => new Date(),
    newSid: (prefix) => `${prefix}${uuid4().replace(/-/g, '')}`,
  };
}
