import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullFlows } from '../../src/cli/flows/pull';
import { flowFileName } from '../../src/flow/flow-file';
import { startTestApi, type TestApi } from '../helpers/api';
import { corpusFlows } from '../helpers/corpus';
import { localTwilioClient } from '../helpers/twilio-client';

/**
 * `open-studio flows pull` against the real API through the official client's conventions (Basic
 * auth, paging by next_page_url): 120 flows, past one page of 50; one file each, stable bytes,
 * names kept across renames.
 */
describe('open-studio flows pull', () => {
  let api: TestApi;
  let dir: string;
  const sids: string[] = [];
  beforeAll(async () => {
    api = await startTestApi();
    const client = localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
    const corpus = corpusFlows();
    for (let i = 0; i < 120; i++) {
      const source = corpus[i % corpus.length]!;
      // The corpus twice over (and some): the second copy of a name must not overwrite the first.
      const created = await client.studio.v2.flows.create({ friendlyName: source.name, status: 'draft', definition: source.definition });
      sids.push(created.sid);
    }
    await client.studio.v2.flows(sids[0]!).testUsers().update({ testUsers: ['+15550001111'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-pull-'));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const connection = () => ({ url: api.url, accountSid: api.account.accountSid, authToken: api.account.authToken });
  const files = () => fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { sid: string; friendly_name: string; revision: number; test_users: string[]; definition: { states: unknown[] } };

  it('writes all 120 flows, one file each, with their SIDs, revisions and test users', async () => {
    const seen: number[] = [];
    const report = await pullFlows(connection(), { dir, progress: (done) => seen.push(done) });
    expect(report.written).toHaveLength(120);
    expect(files()).toHaveLength(120);
    expect(new Set(files().map((f) => read(f).sid))).toEqual(new Set(sids));
    expect(seen.at(-1)).toBe(120);
    const withUsers = files().map(read).find((f) => f.sid === sids[0]);
    expect(withUsers).toMatchObject({ revision: 1, test_users: ['+15550001111'] });
    // One name, two flows: one file has the plain name, the other its SID's tail after it.
    const plain = flowFileName(corpusFlows()[0]!.name);
    const twins = files().filter((f) => f === plain || f.startsWith(plain.replace('.json', '-')));
    expect(twins).toHaveLength(2);
    const suffixed = twins.find((f) => f !== plain)!;
    expect(suffixed).toBe(plain.replace('.json', `-${read(suffixed).sid.slice(-8)}.json`));
    expect(new Set(twins.map((f) => read(f).sid))).toEqual(new Set([sids[0], sids[corpusFlows().length]]));
  }, 120_000);

  it('prints a flow the same way every time, its keys in a fixed order', async () => {
    const name = flowFileName(corpusFlows()[1]!.name);
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['sid', 'friendly_name', 'status', 'revision', 'test_users', 'definition']);
    expect(text.endsWith('}\n')).toBe(true);
    const again = await pullFlows(connection(), { dir });
    expect(again.written).toEqual([]);
    expect([...again.unchanged].sort()).toEqual(files());
    expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(text);
  }, 120_000);

  it('keeps the file of a flow renamed in the console, and pulls only the flows asked for', async () => {
    const client = localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
    const sid = sids[2]!;
    const before = files().find((f) => read(f).sid === sid)!;
    await client.studio.v2.flows(sid).update({ status: 'draft', friendlyName: 'Renamed in the console' });
    const report = await pullFlows(connection(), { dir, flows: [sid] });
    expect(report.written).toEqual([before]);
    expect(read(before)).toMatchObject({ sid, friendly_name: 'Renamed in the console', revision: 2 });
    expect(files()).toHaveLength(120);
  }, 60_000);
});

describe('flow file names', () => {
  it.each([
    ['Appointment Reminder', 'appointment-reminder.json'],
    ['  Café — Ñandú / IVR #2 ', 'cafe-nandu-ivr-2.json'],
    ['!!!', 'flow.json'],
  ])('%s → %s', (friendlyName, file) => {
    expect(flowFileName(friendlyName)).toBe(file);
  });
});
