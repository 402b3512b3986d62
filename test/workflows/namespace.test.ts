import { Connection } from '@temporalio/client';
import { ensureNamespace } from '../../src/temporal/namespace';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { temporalAddress } from '../helpers/temporal';

/** EXECUTION_RETENTION_DAYS is the namespace's retention; our search attributes exist. */
describe('ensureNamespace on the real server', () => {
  it('creates a missing namespace with the retention, registers the search attributes, and follows a retention change', async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    const namespace = `ns-${Date.now().toString(36)}`;
    try {
      const first = await ensureNamespace(connection, { namespace, retentionDays: 7 });
      expect(first).toMatchObject({ created: true, addedSearchAttributes: SEARCH_ATTRIBUTES.map((k) => k.name) });
      const retention = async () => Number((await connection.workflowService.describeNamespace({ namespace })).config?.workflowExecutionRetentionTtl?.seconds);
      expect(await retention()).toBe(7 * 86_400);

      expect(await ensureNamespace(connection, { namespace, retentionDays: 7 })).toEqual({ created: false, retentionChanged: false, addedSearchAttributes: [] });
      expect(await ensureNamespace(connection, { namespace, retentionDays: 30 })).toMatchObject({ retentionChanged: true });
      expect(await retention()).toBe(30 * 86_400);
    } finally {
      await connection.close();
    }
  });
});
