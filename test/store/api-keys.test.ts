import type { Database } from '../../src/store/database';
import { ApiKeyStore } from '../../src/store/api-keys';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const OTHER = `AC${'2'.repeat(32)}`;

describe.each(DIALECTS)('ApiKeyStore on %s', (dialect) => {
  let database: Database;
  let drop: () => Promise<void>;
  let keys: ApiKeyStore;
  beforeEach(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    keys = new ApiKeyStore(database);
  });
  afterEach(async () => {
    await drop();
  });

  it('creates a key whose secret verifies, stores only a hash, and lists and renames it', async () => {
    const key = await keys.create(ACCOUNT, 'CI', new Date('2026-01-01T00:00:00Z'));
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(key.secret.length).toBeGreaterThanOrEqual(43);
    const row = await database.db.selectFrom('api_keys').selectAll().where('sid', '=', key.sid).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.secret);
    expect(await keys.verify(key.sid, key.secret)).toMatchObject({ sid: key.sid, accountSid: ACCOUNT });
    expect(await keys.verify(key.sid, `${key.secret}x`)).toBeUndefined();
    expect(await keys.list(ACCOUNT, 0, 50)).toEqual([{ sid: key.sid, accountSid: ACCOUNT, friendlyName: 'CI', dateCreated: key.dateCreated, dateUpdated: key.dateUpdated }]);
    expect(await keys.list(OTHER, 0, 50)).toEqual([]);
    expect(await keys.rename(ACCOUNT, key.sid, 'Deploys', new Date('2026-01-02T00:00:00Z'))).toMatchObject({ friendlyName: 'Deploys', dateUpdated: '2026-01-02T00:00:00.000Z' });
    expect(await keys.rename(OTHER, key.sid, 'Nope', new Date())).toBeUndefined();
  });

  it('a deleted key no longer verifies; another account cannot delete it', async () => {
    const key = await keys.create(ACCOUNT, '', new Date());
    expect(await keys.delete(OTHER, key.sid)).toBe(false);
    expect(await keys.delete(ACCOUNT, key.sid)).toBe(true);
    expect(await keys.verify(key.sid, key.secret)).toBeUndefined();
    expect(await keys.get(ACCOUNT, key.sid)).toBeUndefined();
  });
});
