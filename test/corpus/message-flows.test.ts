import type { FlowDefinition } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { corpusFlows, type CorpusFlow } from '../helpers/corpus';
import { describeOutcome, settle } from '../helpers/corpus-run';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';

/**
 * The corpus flows an inbound message starts (27) take a first message through the signed
 * flow webhook and answer it without an engine error; outbound HTTP goes to a local stand-in,
 * messages to the local channel.
 */
function messageTriggered(flow: CorpusFlow): boolean {
  const trigger = flow.definition.states.find((s) => s.type === 'trigger');
  return !!trigger?.transitions.some((t) => t.event === 'incomingMessage' && t.next);
}

describe('corpus flows started by an inbound message', () => {
  let standIn: TestServer;
  let rig: MessagingRig;
  beforeAll(async () => {
    standIn = await startTestServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"results":[],"output":{"text":["hello"]}}'));
    rig = await startMessagingRig({ rewriteUrl: (url) => new URL(`${standIn.url}/${url.host}${url.pathname}${url.search}`) });
  });
  afterAll(async () => {
    await rig?.close();
    await standIn?.close();
  });

  it('answers the first message of all 27 without an engine error', async () => {
    const flows = corpusFlows().filter(messageTriggered);
    expect(flows).toHaveLength(27);
    const lines: string[] = [];
    let unexpected = 0;
    let answered = 0;
    for (const [i, flow] of flows.entries()) {
      const definition = flow.definition as unknown as FlowDefinition;
      const contact = `+1415555${String(3000 + i)}`;
      // A flow with a real defect cannot be published: it runs as a draft, for a test user.
      const defective = /^(004|015)-/.test(flow.name);
      const sid = await rig.publish(definition, defective ? { asDraft: true, testUsers: [contact] } : {});
      expect((await rig.text(sid, contact, 'hello')).status).toBe(200);
      const outcome = describeOutcome(await settle(rig.t.client, ExecutionService.workflowId(sid, contact), definition), definition);
      const list = (await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(contact)}`)).json()) as { messages: Array<{ direction: string; body: string }> };
      const replies = list.messages.filter((m) => m.direction === 'outbound');
      if (replies.length > 0) answered++;
      if (outcome.unexpected) unexpected++;
      lines.push(`  ${flow.name}: ${outcome.text}; ${replies.length} message(s) sent${replies[0] ? `, first: ${JSON.stringify(replies.at(-1)!.body.slice(0, 50))}` : ''}`);
    }
    console.log(
      `Message corpus: ${flows.length} flows, ${answered} answered with a message, ${unexpected} engine errors\n${lines.join('\n')}`,
    );
    expect(unexpected).toBe(0);
  }, 240_000);
});
