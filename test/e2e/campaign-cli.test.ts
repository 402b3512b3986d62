import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlowDefinition } from '../../src/flow/definition';
import { cli } from '../helpers/cli';
import { flowOf, triggerState } from '../helpers/flows';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';

const greet: FlowDefinition = flowOf(triggerState({ incomingRequest: 'hello' }), {
  name: 'hello',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', body: 'Hello {{flow.data.name}}' },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
});

/** `open-studio campaign start` and `status`, as users run them, against the API and a worker. */
describe('open-studio campaign', () => {
  let rig: MessagingRig;
  let flow: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    rig = await startMessagingRig();
    flow = await rig.publish(greet);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-cli-'));
    env = { ...process.env, OPEN_STUDIO_URL: rig.api.url, TWILIO_ACCOUNT_SID: rig.account.accountSid, TWILIO_AUTH_TOKEN: rig.account.authToken };
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts a campaign from a CSV, follows it to the end, and reports its status', async () => {
    const list = path.join(dir, 'contacts.csv');
    fs.writeFileSync(list, `To,name\n${Array.from({ length: 12 }, (_, i) => `+1415777${String(i).padStart(4, '0')},N${i}`).join('\n')}\nnot-a-number,x\n`);
    const started = await cli(['campaign', 'start', '--flow', flow, '--from', '+15005550006', '--rate', '6', list], { env });
    expect(started.code).toBe(0);
    const sid = /^campaign (CM[0-9a-f]{32}) started: 13 contacts at 6\/s$/m.exec(started.stdout)?.[1];
    expect(sid).toBeDefined();
    expect(started.stdout).toMatch(/^completed: 12 started, 1 skipped, 0 failed, 0 pending of 13; \d+ executions ended$/m);
    const status = await cli(['campaign', 'status', '--flow', flow, sid!, '--json'], { env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ sid, status: 'completed', counts: { started: 12, skipped: 1 } });
  });

  it('says why a list is refused, and exits non-zero', async () => {
    const list = path.join(dir, 'bad.csv');
    fs.writeFileSync(list, 'Phone\n+14155550000\n');
    const refused = await cli(['campaign', 'start', '--flow', flow, '--from', '+15005550006', list], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('400 (20001): The CSV has no To column (columns: Phone)');
  });
});
