import { groupKey, migrationRequests, progressOf, type MigrationPlan, type MigrationResource } from '../../web/src/revisions/migrations';

const plan: MigrationPlan = {
  flow_sid: 'FW1',
  to_revision: 3,
  mappable: 5,
  unmappable: 4,
  truncated: false,
  groups: [
    { from_revision: 1, widget: 'ask', widget_type: 'send-and-wait-for-reply', executions: 2, mappable: true, to_widget: 'ask', reason: null },
    { from_revision: 1, widget: 'old', widget_type: 'send-and-wait-for-reply', executions: 4, mappable: false, to_widget: null, reason: 'revision 3 has no widget named "old" (renamed or removed)' },
    { from_revision: 2, widget: 'ask', widget_type: 'send-and-wait-for-reply', executions: 3, mappable: true, to_widget: 'ask', reason: null },
  ],
};

describe('the migration dialog’s requests and progress', () => {
  it('asks for every mappable group at once when all are chosen, else group by group', () => {
    const all = new Set(plan.groups.map(groupKey));
    expect(migrationRequests(plan, all)).toEqual([{}]);
    expect(migrationRequests(plan, new Set(['2:ask']))).toEqual([{ FromRevision: '2', Widget: 'ask' }]);
    // An unmappable group is never asked for, chosen or not.
    expect(migrationRequests(plan, new Set(['1:old', '1:ask']))).toEqual([{ FromRevision: '1', Widget: 'ask' }]);
    expect(migrationRequests(plan, new Set(['1:old']))).toEqual([]);
  });

  it('adds up progress over the migrations it started', () => {
    const m = (total: number, counts: Partial<MigrationResource['counts']>): MigrationResource => ({
      sid: 'FM', status: 'running', total, from_revision: null, widget: null,
      counts: { pending: 0, migrated: 0, already: 0, refused: 0, failed: 0, ...counts },
    });
    expect(progressOf([m(2, { pending: 1, migrated: 1 }), m(3, { migrated: 1, refused: 1, failed: 1 })])).toEqual({ total: 5, done: 4, pending: 1, migrated: 2, already: 0, refused: 1, failed: 1 });
    expect(progressOf([])).toEqual({ total: 0, done: 0, pending: 0, migrated: 0, already: 0, refused: 0, failed: 0 });
  });
});
