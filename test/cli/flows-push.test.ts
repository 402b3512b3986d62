import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullFlows } from '../../src/cli/flows/pull';
import { PushConflict, pushFlows } from '../../src/cli/flows/push';
import { startTestApi, type TestApi } from '../helpers/api';
import { corpusFlows } from '../helpers/corpus';
import { localTwilioClient } from '../helpers/twilio-client';

/** `open-studio flows push`: one revision per real change, none for a no-op, refused over a newer revision. */
describe('open-studio flows push', () => {
  let api: TestApi;
  let dir: string;
  const sids: string[] = [];
  const client = () => localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
  const connection = () => ({ url: api.url, accountSid: api.account.accountSid, authToken: api.account.authToken });
  const revisions = async () => Promise.all(sids.map(async (sid) => (await client().studio.v2.flows(sid).fetch()).revision));
  beforeAll(async () => {
    api = await startTestApi();
    for (const flow of corpusFlows().filter((f) => /^(005|012|057|063|070)-/.test(f.name))) {
      sids.push((await client().studio.v2.flows.create({ friendlyName: flow.name, status: 'published', definition: flow.definition })).sid);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-push-'));
    await pullFlows(connection(), { dir });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pushes nothing for files just pulled', async () => {
    const before = await revisions();
    const actions = await pushFlows(connection(), { dir });
    expect(actions.map((a) => a.kind)).toEqual(sids.map(() => 'unchanged'));
    expect(await revisions()).toEqual(before);
  });

  it('plans, then saves exactly one revision for the one edited file, and none on a second push', async () => {
    const file = fs.readdirSync(dir).find((f) => f.startsWith('063-'))!;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const parsed = JSON.parse(text) as { sid: string; definition: { description: string } };
    fs.writeFileSync(path.join(dir, file), text.replace(`"description": ${JSON.stringify(parsed.definition.description)}`, '"description": "Edited in git"'));
    const before = await revisions();
    const plan = await pushFlows(connection(), { dir, dryRun: true });
    expect(plan.filter((a) => a.kind !== 'unchanged')).toEqual([{ kind: 'update', file, sid: parsed.sid, from: before[sids.indexOf(parsed.sid)], changed: ['definition'] }]);
    expect(await revisions()).toEqual(before);

    await pushFlows(connection(), { dir, publish: true, message: 'edited in git' });
    const after = await revisions();
    expect(after).toEqual(before.map((r, i) => (sids[i] === parsed.sid ? r + 1 : r)));
    const saved = await client().studio.v2.flows(parsed.sid).fetch();
    expect([saved.status, saved.commitMessage, (saved.definition as { description: string }).description]).toEqual(['published', 'edited in git', 'Edited in git']);
    expect((JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { revision: number }).revision).toBe(saved.revision);

    expect((await pushFlows(connection(), { dir, publish: true })).map((a) => a.kind)).toEqual(sids.map(() => 'unchanged'));
    expect(await revisions()).toEqual(after);
  });

  it('refuses to push over a revision saved on the server since the pull, saying which and how to resolve', async () => {
    const sid = sids[0]!;
    const flow = await client().studio.v2.flows(sid).fetch();
    await client().studio.v2.flows(sid).update({ status: 'published', definition: { ...(flow.definition as object), description: 'Saved in the console' }, commitMessage: 'console' });
    const file = fs.readdirSync(dir).find((f) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { sid: string }).sid === sid)!;
    fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(dir, file), 'utf8').replace('"friendly_name": "', '"friendly_name": "Edited '));
    const before = await revisions();
    const refused = pushFlows(connection(), { dir });
    await expect(refused).rejects.toBeInstanceOf(PushConflict);
    await expect(refused).rejects.toThrow(new RegExp(`${file}: pulled at revision ${flow.revision}, the server has revision ${flow.revision + 1} \\(saved .*, commit message "console"\\)\n    what changed there: open-studio flows diff ${sid}@${flow.revision} ${sid}\n[\\s\\S]*pull those flows again`));
    expect(await revisions()).toEqual(before);
  });

  it('creates a flow from a new file and writes its SID into it', async () => {
    const fresh = path.join(dir, 'zz-new.json');
    fs.writeFileSync(fresh, JSON.stringify({ friendly_name: 'New from git', test_users: ['+15550002222'], definition: corpusFlows()[4]!.definition }));
    await pullFlows(connection(), { dir, flows: [sids[0]!] }); // resolve the earlier conflict: take the server's
    const actions = await pushFlows(connection(), { dir });
    const written = JSON.parse(fs.readFileSync(fresh, 'utf8')) as { sid: string; revision: number };
    const webhookUrl = `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${written.sid}`;
    expect(actions.filter((a) => a.kind === 'create')).toEqual([{ kind: 'create', file: 'zz-new.json', name: 'New from git', sid: written.sid, webhookUrl }]);
    const created = await client().studio.v2.flows(written.sid).fetch();
    expect([created.friendlyName, created.revision, written.revision]).toEqual(['New from git', 1, 1]);
    expect((await client().studio.v2.flows(written.sid).testUsers().fetch()).testUsers).toEqual(['+15550002222']);
  });

  it('sets and clears test users as the file says, in one revision each', async () => {
    const sid = sids[2]!;
    await pullFlows(connection(), { dir, flows: [sid] });
    const file = path.join(dir, fs.readdirSync(dir).find((f) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { sid: string }).sid === sid)!);
    const edit = (users: string[]) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"test_users": \[[^\]]*\]/, `"test_users": ${JSON.stringify(users)}`));
    const users = async () => (await client().studio.v2.flows(sid).testUsers().fetch()).testUsers;
    edit(['+15550003333', '+15550004444']);
    expect((await pushFlows(connection(), { dir })).filter((a) => a.kind === 'update')).toMatchObject([{ sid, changed: ['test_users'] }]);
    expect(await users()).toEqual(['+15550003333', '+15550004444']);
    edit([]);
    expect((await pushFlows(connection(), { dir })).filter((a) => a.kind === 'update')).toMatchObject([{ sid, changed: ['test_users'] }]);
    expect(await users()).toEqual([]);
  });
});
