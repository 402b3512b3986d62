import { startTestApi, type TestApi } from '../helpers/api';
import { corpusFlows, type CorpusFlow } from '../helpers/corpus';
import { describeOutcome, settle } from '../helpers/corpus-run';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';
import { localTwilioClient } from '../helpers/twilio-client';
import type { FlowDefinition } from '../../src/flow/definition';

/**
 * The corpus flows a REST call can start (their trigger wires `incomingRequest`) run through
 * the Executions API on the real server, every outbound URL answered by a local stand-in, and
 * must end (or wait for the contact) without an engine error.
 */
/**
 * Faults of the flows themselves, each with the exact reason the execution ends with: these are
 * the flow doing what Studio would refuse too, not the engine failing.
 */
const FLOW_FAULTS: Record<string, string> = {
  // Its REST trigger leads straight into an IVR menu: a Gather with no call to speak to.
  '049-manimotion-ivr': 'voice:no-call at menu (gather-input-on-call)',
};

function restTriggered(flow: CorpusFlow): boolean {
  const trigger = flow.definition.states.find((s) => s.type === 'trigger');
  return !!trigger?.transitions.some((t) => t.event === 'incomingRequest' && t.next);
}

describe('corpus flows started through the REST API', () => {
  let standIn: TestServer;
  let t: TemporalTestContext;
  let api: TestApi;
  beforeAll(async () => {
    // Answers every outbound call of every flow; the original host is the first path segment.
    standIn = await startTestServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"status":"ok","results":[]}'));
    t = await startTemporalTestContext({ rewriteUrl: (url) => new URL(`${standIn.url}/${url.host}${url.pathname}${url.search}`) });
    api = await startTestApi({ taskQueue: t.taskQueue, store: t.store });
  });
  afterAll(async () => {
    await api?.close();
    await t?.close();
    await standIn?.close();
  });

  it('runs all 17 and none ends with an engine error', async () => {
    const client = localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
    const flows = corpusFlows().filter(restTriggered);
    expect(flows).toHaveLength(17);
    const lines: string[] = [];
    let unexpected = 0;
    for (const [i, flow] of flows.entries()) {
      const created = await client.studio.v2.flows.create({ friendlyName: flow.name, status: 'published', definition: flow.definition });
      const to = `+1415555${String(2000 + i)}`;
      await client.studio.v2.flows(created.sid).executions.create({ to, from: '+15005550006', parameters: { name: 'Corpus', phone: to } });
      const outcome = describeOutcome(await settle(t.client, `${created.sid}:${to}`, flow.definition as unknown as FlowDefinition), flow.definition as unknown as FlowDefinition);
      const known = FLOW_FAULTS[flow.name] === outcome.text;
      if (outcome.unexpected && !known) unexpected++;
      lines.push(`  ${flow.name}: ${outcome.text}`);
    }
    console.log(
      `REST corpus: ${flows.length} flows, ${flows.length - unexpected - Object.keys(FLOW_FAULTS).length} ended or waited for a reply cleanly, ` +
        `${Object.keys(FLOW_FAULTS).length} ended on a fault of the flow itself, ` +
        `${unexpected} engine errors\n${lines.join('\n')}`,
    );
    expect(unexpected).toBe(0);
    for (const [name, fault] of Object.entries(FLOW_FAULTS)) expect(lines).toContain(`  ${name}: ${fault}`);
  }, 180_000);
});
