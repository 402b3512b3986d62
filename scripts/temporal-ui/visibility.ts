import { Client, Connection } from '@temporalio/client';
import type { VisibilityQuery } from '../../src/temporal/visibility-query';

/**
 * Waits, for a bounded time, until Temporal visibility counts `expected` workflows for `query`.
 * Used so a screenshot shows search attributes the workflow upserts (CurrentWidget, StepCount)
 * rather than catching visibility a moment behind the workflow. Answers false when the time is
 * up — the caller decides whether that matters.
 */
export async function visibilityCounts(address: string, query: VisibilityQuery, expected: number, timeoutMs = 10_000): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await client.workflow.count(query)).count === expected) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await connection.close();
  }
}
