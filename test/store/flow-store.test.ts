import type { Database } from '../../src/store/database';
import { FlowStore, type NewRevision } from '../../src/store/flow-store';
import { newSid } from '../../src/sids';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = `AC${'1'.repeat(32)}`;

function revision(overrides: Partial<NewRevision> = {}): NewRevision {
  return {
    friendlyName: 'Flow',
    status: 'draft',
    definition: JSON.stringify({ initial_state: 'Trigger', states: [] }),
    commitMessage: null,
    valid: true,
    errors: [],
    warnings: [],
    at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe.each(DIALECTS)('FlowStore on %s', (dialect) => {
  let database: Database;
  let drop: () => Promise<void>;
  let store: FlowStore;
  beforeEach(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    store = new FlowStore(database);
  });
  afterEach(async () => {
    await drop();
  });

  it('creates a flow at revision 1 and returns the definition text unchanged', async () => {
    const definition = '{"description":"ünïcode ✓","states":[{"name":"Trigger","properties":{"offset":{"x":1.5,"y":-2}}}],"initial_state":"Trigger","extra":{"kept":[1,null,true]}}';
    const sid = newSid('FW');
    const flow = await store.create(sid, ACCOUNT, revision({ definition, commitMessage: 'first', status: 'published' }));
    expect(flow).toMatchObject({ sid, accountSid: ACCOUNT, revision: 1, publishedRevision: 1, status: 'published', testUsers: [], dateUpdated: null });
    expect(flow.latest).toMatchObject({ revision: 1, commitMessage: 'first', valid: true, errors: [], warnings: [] });
    expect(JSON.stringify(flow.latest.definition)).toBe(definition);
  });

  it('numbers every save as a new revision and tracks the published one', async () => {
    const sid = newSid('FW');
    await store.create(sid, ACCOUNT, revision({ status: 'published' }));
    await store.addRevision(ACCOUNT, sid, revision({ status: 'draft', friendlyName: 'Renamed', at: '2026-01-02T00:00:00.000Z' }));
    const flow = await store.get(ACCOUNT, sid);
    expect(flow).toMatchObject({ revision: 2, publishedRevision: 1, status: 'draft', friendlyName: 'Renamed', dateUpdated: '2026-01-02T00:00:00.000Z' });
    expect((await store.getRevision(sid, 'LatestPublished'))?.revision).toBe(1);
    expect((await store.getRevision(sid, 'LatestRevision'))?.revision).toBe(2);
    expect((await store.getRevision(sid, 1))?.friendlyName).toBe('Flow');
    expect(await store.getRevision(sid, 3)).toBeUndefined();
    expect((await store.listRevisions(sid, 10)).map((r) => r.revision)).toEqual([2, 1]);
  });

  it('keeps numbered revisions parsed and frozen, and sees what another process saves', async () => {
    const sid = newSid('FW');
    await store.create(sid, ACCOUNT, revision({ status: 'published' }));
    const first = await store.getRevision(sid, 1);
    expect(await store.getRevision(sid, 1)).toBe(first);
    expect(Object.isFrozen(first?.definition)).toBe(true);
    expect(() => (first!.definition as { states: unknown[] }).states.push({})).toThrow(TypeError);
    // Another process (its own store, its own cache) publishes: this one's next read names it.
    const other = new FlowStore(database);
    await other.addRevision(ACCOUNT, sid, revision({ status: 'published', friendlyName: 'Elsewhere' }));
    const flow = await store.get(ACCOUNT, sid);
    expect(flow).toMatchObject({ revision: 2, publishedRevision: 2, friendlyName: 'Elsewhere' });
    expect(flow?.latest).toMatchObject({ revision: 2, friendlyName: 'Elsewhere' });
    expect((await store.getRevision(sid, 'LatestPublished'))?.revision).toBe(2);
    // A deleted flow is gone whatever was cached.
    await other.delete(ACCOUNT, sid);
    expect(await store.get(ACCOUNT, sid)).toBeUndefined();
    // Size 0: nothing kept, every read parses again.
    const uncached = new FlowStore(database, 0);
    const again = await uncached.create(newSid('FW'), ACCOUNT, revision());
    expect(await uncached.getRevision(again.sid, 1)).not.toBe(await uncached.getRevision(again.sid, 1));
  });

  it('never reuses or skips a revision number under concurrent saves', async () => {
    const sid = newSid('FW');
    await store.create(sid, ACCOUNT, revision());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.addRevision(ACCOUNT, sid, revision({ commitMessage: `save ${i}` }))));
    const revisions = await store.listRevisions(sid, 100);
    expect(revisions.map((r) => r.revision)).toEqual(Array.from({ length: 21 }, (_, i) => 21 - i));
    expect(new Set(revisions.map((r) => r.commitMessage)).size).toBe(21);
  });

  it('pages flows newest first with a keyset cursor', async () => {
    const sids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const sid = newSid('FW');
      sids.push(sid);
      await store.create(sid, ACCOUNT, revision({ at: `2026-01-01T00:00:0${i}.000Z` }));
    }
    const first = await store.list(ACCOUNT, 3);
    expect(first.map((f) => f.sid)).toEqual(sids.slice(4).reverse());
    expect(first[0]!.latest.definition).toBeUndefined();
    const last = first[2]!;
    const second = await store.list(ACCOUNT, 3, { date: last.dateCreated, sid: last.sid });
    expect(second.map((f) => f.sid)).toEqual(sids.slice(1, 4).reverse());
    expect((await store.list(ACCOUNT, 3, undefined, 6)).map((f) => f.sid)).toEqual([sids[0]]);
    expect(await store.list(`AC${'2'.repeat(32)}`, 10)).toEqual([]);
  });

  it('deletes a flow with its revisions and keeps accounts apart', async () => {
    const sid = newSid('FW');
    await store.create(sid, ACCOUNT, revision());
    await store.addRevision(ACCOUNT, sid, revision());
    expect(await store.get(`AC${'2'.repeat(32)}`, sid)).toBeUndefined();
    expect(await store.delete(`AC${'2'.repeat(32)}`, sid)).toBe(false);
    expect(await store.delete(ACCOUNT, sid)).toBe(true);
    expect(await store.get(ACCOUNT, sid)).toBeUndefined();
    expect(await store.listRevisions(sid, 10)).toEqual([]);
    expect(await store.addRevision(ACCOUNT, sid, revision())).toBeUndefined();
  });

  it('stores test users', async () => {
    const sid = newSid('FW');
    await store.create(sid, ACCOUNT, revision());
    expect(await store.setTestUsers(ACCOUNT, sid, ['+14155551234', 'client:alice'])).toEqual(['+14155551234', 'client:alice']);
    expect((await store.get(ACCOUNT, sid))?.testUsers).toEqual(['+14155551234', 'client:alice']);
    expect(await store.setTestUsers(ACCOUNT, newSid('FW'), [])).toBeUndefined();
  });
});
