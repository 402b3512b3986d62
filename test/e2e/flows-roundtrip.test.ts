import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlowDefinition } from '../../src/flow/definition';
import { shown } from '../../src/flow/flow-diff';
import { validateFlow } from '../../src/flow/validate';
import { startTestApi, type TestApi } from '../helpers/api';
import { cli } from '../helpers/cli';
import { corpusFlows } from '../helpers/corpus';
import { localTwilioClient } from '../helpers/twilio-client';

/**
 * Flows as code, as a team uses it: the 79 real Studio exports pulled from a server into a git
 * repository with the package's own `open-studio` command, one file edited, the diff, the push,
 * and a teammate's concurrent save refused.
 */
describe('flows as code: a round trip through git', () => {
  let api: TestApi;
  let repo: string;
  let env: NodeJS.ProcessEnv;
  const client = () => localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  const flows = (...args: string[]) => cli(['flows', ...args], { cwd: repo, env });
  /** Every flow's revision on the server, by SID. */
  const revisions = async () => Object.fromEntries((await client().studio.v2.flows.list()).map((f) => [f.sid, f.revision]));

  beforeAll(async () => {
    api = await startTestApi();
    for (const flow of corpusFlows()) {
      // As a live account holds them: published where Studio would publish, the rest drafts.
      const status = validateFlow(flow.definition).valid ? 'published' : 'draft';
      await client().studio.v2.flows.create({ friendlyName: flow.name, status, definition: flow.definition, commitMessage: 'imported' });
    }
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-as-code-'));
    env = { ...process.env, OPEN_STUDIO_URL: api.url, TWILIO_ACCOUNT_SID: api.account.accountSid, TWILIO_AUTH_TOKEN: api.account.authToken };
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Lovelace');
    git('config', 'user.email', 'ada@example.com');
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  it('pulls, diffs exactly the one edit, pushes one revision, then none, and refuses a concurrent save', async () => {
    const pulled = await flows('pull', '--dir', 'flows');
    expect(pulled).toMatchObject({ code: 0, stdout: expect.stringMatching(/^79 flows pulled into flows: 79 written, 0 unchanged\n/) });
    git('add', '.');
    git('commit', '-q', '-m', 'the flows of the account');

    // Edit one message body, as a person would in an editor: one line of one file.
    const file = 'flows/005-appointment-reminder.json';
    const text = fs.readFileSync(path.join(repo, file), 'utf8');
    const { sid, definition } = JSON.parse(text) as { sid: string; definition: FlowDefinition };
    const widget = definition.states.find((s) => typeof s.properties.body === 'string')!;
    const body = widget.properties.body as string;
    expect(text.split(JSON.stringify(body))).toHaveLength(2);
    fs.writeFileSync(path.join(repo, file), text.replace(JSON.stringify(body), JSON.stringify('Your appointment has moved.')));
    expect(git('diff', '--numstat')).toBe(`1\t1\t${file}\n`);

    const expected = `--- ${sid}@1 (server)\n+++ ${file}\n~ Changed ${widget.name}: body ${shown(body)} → "Your appointment has moved."\n`;
    expect(await flows('diff', '--dir', 'flows')).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(await flows('diff', file, '--exit-code')).toEqual({ code: 1, stdout: expected, stderr: '' });

    const before = await revisions();
    const pushed = await flows('push', '--dir', 'flows', '--publish', '-m', 'Reword the reminder');
    expect(pushed).toMatchObject({ code: 0, stdout: `  update 005-appointment-reminder.json: definition (from revision 1)\npushed: 0 created, 1 updated, 78 unchanged\n` });
    const after = await revisions();
    expect(after).toEqual({ ...before, [sid]: 2 });
    const saved = await client().studio.v2.flows(sid).fetch();
    expect([saved.status, saved.commitMessage]).toEqual(['published', 'Reword the reminder']);
    // The file now holds the revision it made: the next push starts from there.
    expect(git('diff', '--numstat')).toBe(`2\t2\t${file}\n`);
    git('commit', '-q', '-am', 'Reword the reminder');

    expect(await flows('push', '--dir', 'flows', '--publish')).toMatchObject({ code: 0, stdout: 'pushed: 0 created, 0 updated, 79 unchanged\n' });
    expect(await revisions()).toEqual(after);
    expect(await flows('diff', '--dir', 'flows', '--exit-code')).toEqual({ code: 0, stdout: '', stderr: '' });

    // Two revisions on the server compare the same way.
    expect((await flows('diff', `${sid}@1`, `${sid}@2`)).stdout).toBe(`--- ${sid}@1\n+++ ${sid}@2\n~ Changed ${widget.name}: body ${shown(body)} → "Your appointment has moved."\n`);

    // A teammate saves in the console while Ada edits the same flow in git.
    await client().studio.v2.flows(sid).update({ status: 'published', definition: { ...(saved.definition as FlowDefinition), description: 'Saved in the console' }, commitMessage: 'Grace: new description' });
    const current = fs.readFileSync(path.join(repo, file), 'utf8');
    fs.writeFileSync(path.join(repo, file), current.replace(JSON.stringify('Your appointment has moved.'), JSON.stringify('See you soon.')));
    const refused = await flows('push', '--dir', 'flows', '--publish');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^open-studio: 1 flow\\(s\\) changed on the server since they were pulled; nothing was pushed:\n` +
          `  005-appointment-reminder.json: pulled at revision 2, the server has revision 3 \\(saved \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, commit message "Grace: new description"\\)\n` +
          `    what changed there: open-studio flows diff ${sid}@2 ${sid}\n` +
          `To resolve: commit your change, pull those flows again \\(open-studio flows pull --flow FW…\\), merge with git, then push.\n$`,
      ),
    );
    expect(await revisions()).toEqual({ ...after, [sid]: 3 });
    expect((await flows('diff', `${sid}@2`, sid)).stdout).toBe(`--- ${sid}@2\n+++ ${sid}@3 (server)\n~ Description ${shown(definition.description)} → "Saved in the console"\n`);
  }, 300_000);
});
