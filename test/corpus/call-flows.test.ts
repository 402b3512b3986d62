import { XMLValidator } from 'fast-xml-parser';
import type { FlowDefinition } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { corpusFlows, type CorpusFlow } from '../helpers/corpus';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { callParams, callSid, postVoice } from '../helpers/voice';

/**
 * The corpus flows a call starts (37) answer the first call webhook — signed, as Twilio sends it
 * — with well-formed TwiML and no engine error. Outbound HTTP goes to a local stand-in.
 */
function callTriggered(flow: CorpusFlow): boolean {
  const trigger = flow.definition.states.find((s) => s.type === 'trigger');
  return !!trigger?.transitions.some((t) => t.event === 'incomingCall' && t.next);
}

describe('corpus flows started by an incoming call', () => {
  let standIn: TestServer;
  let rig: MessagingRig;
  beforeAll(async () => {
    standIn = await startTestServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"results":[],"available":true}'));
    rig = await startMessagingRig({ rewriteUrl: (url) => new URL(`${standIn.url}/${url.host}${url.pathname}${url.search}`) });
  });
  afterAll(async () => {
    await rig?.close();
    await standIn?.close();
  });

  it('answers the first call webhook of all 37 with valid TwiML', async () => {
    const flows = corpusFlows().filter(callTriggered);
    expect(flows).toHaveLength(37);
    const lines: string[] = [];
    const verbs = new Map<string, number>();
    let engineErrors = 0;
    for (const [i, flow] of flows.entries()) {
      const definition = flow.definition as unknown as FlowDefinition;
      const caller = `+1415555${String(4000 + i)}`;
      const defective = /^(004|015)-/.test(flow.name);
      const sid = await rig.publish(definition, defective ? { asDraft: true, testUsers: [caller] } : {});
      const call = callSid();
      const answer = await postVoice(rig.webhook(sid), rig.account.authToken, callParams(call, caller, '+15005550006', { CallStatus: 'ringing' }));
      expect({ flow: flow.name, status: answer.status, valid: XMLValidator.validate(answer.twiml) }).toEqual({ flow: flow.name, status: 200, valid: true });
      const first = /<Response>(?:<(\w+))?/.exec(answer.twiml)?.[1] ?? 'Response/';
      verbs.set(first, (verbs.get(first) ?? 0) + 1);
      // The caller hangs up; the execution ends, and must not have failed in the engine.
      await postVoice(rig.webhook(sid), rig.account.authToken, callParams(call, caller, '+15005550006', { CallStatus: 'completed' }));
      const workflowId = ExecutionService.workflowId(sid, definition.flags?.allow_concurrent_calls === false ? caller : call);
      const state = await eventually(`${flow.name} to end`, async () => {
        const s = await rig.t.client.workflow.getHandle(workflowId).query(executionSnapshot);
        return s.status === 'ended' ? s : undefined;
      });
      const failure = state.failure ? `${state.failure.code} at ${state.failure.widget ?? '?'}` : 'none';
      if (state.failure && ['widget:unsupported', 'flow:unknown-state'].includes(state.failure.code)) engineErrors++;
      lines.push(`  ${flow.name}: answered with <${first}>, ${state.steps.length} steps, failure: ${failure}`);
    }
    console.log(
      `Call corpus: ${flows.length} flows answered the first webhook with valid TwiML; first verbs ${JSON.stringify(Object.fromEntries(verbs))}; ` +
        `${engineErrors} engine errors\n${lines.join('\n')}`,
    );
    expect(engineErrors).toBe(0);
  }, 300_000);
});
