import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { movedReport } from '../../src/cli/flows/moved';
import { pullFlows } from '../../src/cli/flows/pull';
import { pushFlows } from '../../src/cli/flows/push';
import type { FlowDefinition } from '../../src/flow/definition';
import { startTestApi, type TestApi } from '../helpers/api';
import { corpusFlows } from '../helpers/corpus';
import { localTwilioClient } from '../helpers/twilio-client';

/** A flow whose REST trigger runs `subflow` as a subflow. */
function parentOf(subflow: string): FlowDefinition {
  return {
    description: 'runs a subflow',
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'run_child' }], properties: { offset: { x: 0, y: 0 } } },
      { name: 'run_child', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: subflow, flow_revision: 'LatestPublished', parameters: [] } },
    ],
  };
}

/**
 * Moving an account: `flows pull` from one server (standing in for Twilio's Studio, whose API is
 * the same) and `flows push` to another. The flows get new SIDs; Run Subflow references follow
 * them; each keeps the status it had; the report names the webhook URLs and what differs here.
 */
describe('open-studio flows push: flows moved from another account', () => {
  let from: TestApi;
  let to: TestApi;
  let dir: string;
  const old = new Map<string, string>();
  const connectionTo = (api: TestApi) => ({ url: api.url, accountSid: api.account.accountSid, authToken: api.account.authToken });
  const client = (api: TestApi) => localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { sid: string; status: string; definition: FlowDefinition };

  beforeAll(async () => {
    [from, to] = await Promise.all([startTestApi(), startTestApi()]);
    const create = async (name: string, status: 'draft' | 'published', definition: FlowDefinition) =>
      old.set(name, (await client(from).studio.v2.flows.create({ friendlyName: name, status, definition })).sid);
    const corpus = new Map(corpusFlows().map((f) => [f.name.slice(0, 3), f.definition as FlowDefinition]));
    await create('Child', 'published', corpus.get('005')!);
    await create('Parent', 'published', parentOf(old.get('Child')!));
    await create('Regulatory', 'draft', corpus.get('015')!); // invalid: a transition to a missing widget
    await create('Flex handoff', 'published', corpus.get('010')!);
    // Two flows running each other: one of them can only name the other's new SID once both exist.
    await create('Ping', 'published', parentOf('FW00000000000000000000000000000000'));
    await create('Pong', 'published', parentOf(old.get('Ping')!));
    await client(from).studio.v2.flows(old.get('Ping')!).update({ status: 'published', definition: parentOf(old.get('Pong')!) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-move-'));
    await pullFlows(connectionTo(from), { dir });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([from?.close(), to?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plans every flow as moved, and changes nothing on a dry run', async () => {
    const plan = await pushFlows(connectionTo(to), { dir, dryRun: true });
    expect(plan.map((a) => (a.kind === 'create' ? [a.file, a.movedFrom] : a.kind))).toEqual(
      ['child.json', 'flex-handoff.json', 'parent.json', 'ping.json', 'pong.json', 'regulatory.json'].map((file) => [file, read(file).sid]),
    );
    expect(await client(to).studio.v2.flows.list()).toEqual([]);
  });

  it('creates them with new SIDs and their statuses, subflows named by their new SIDs, and reports the webhooks and differences', async () => {
    const actions = await pushFlows(connectionTo(to), { dir });
    // The list leaves definitions out, as Studio's does: each is fetched.
    const listed = await client(to).studio.v2.flows.list();
    const here = new Map(await Promise.all(listed.map(async (f) => [f.friendlyName, await client(to).studio.v2.flows(f.sid).fetch()] as const)));
    expect([...here.keys()].sort()).toEqual(['Child', 'Flex handoff', 'Parent', 'Ping', 'Pong', 'Regulatory']);
    for (const [name, flow] of here) {
      expect(flow.sid).not.toBe(old.get(name));
      expect(flow.status).toBe(name === 'Regulatory' ? 'draft' : 'published');
    }
    const subflowOf = (name: string) => (here.get(name)!.definition as FlowDefinition).states[1]!.properties.flow_sid;
    expect([subflowOf('Parent'), subflowOf('Ping'), subflowOf('Pong')]).toEqual([here.get('Child')!.sid, here.get('Pong')!.sid, here.get('Ping')!.sid]);
    expect(read('parent.json')).toMatchObject({ sid: here.get('Parent')!.sid, definition: { states: [{}, { properties: { flow_sid: here.get('Child')!.sid } }] } });

    const report = movedReport(dir, actions);
    expect(report).toContain('6 flow(s) moved here from another account');
    expect(report).toContain(`  parent.json  ${old.get('Parent')} → ${here.get('Parent')!.sid}  ${to.url}/v1/Accounts/${to.account.accountSid}/Flows/${here.get('Parent')!.sid}`);
    expect(report).toMatch(/\nWhat behaves differently here:\n[\s\S]*\n {2}send-to-flex: creates its TaskRouter task in the Flex workspace of the Twilio account whose credentials this server has[^\n]*\n {4}flex-handoff\.json: send_to_queue_en_tya, /);
    expect(report).toMatch(/\n {2}run-function: posts to the Function's URL signed with this server's TWILIO_AUTH_TOKEN[^\n]*\n {4}child\.json: set_task_complete\n/);

    // The files now name this server's flows: a second push has nothing to do.
    expect((await pushFlows(connectionTo(to), { dir })).map((a) => a.kind)).toEqual(Array(6).fill('unchanged'));
  });
});
