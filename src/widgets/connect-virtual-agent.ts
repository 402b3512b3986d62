import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { connectVirtualAgentProps } from './readers.generated';
import type { Infer } from './props';
import { attribute, attributes, voiceOutcome } from './voice';


/**
 * Connect Virtual Agent (v1, Dialogflow ES) — hands the call to a Dialogflow ES agent through a
 * `<Connect><VirtualAgent>` connector. When the agent ends the session Twilio calls back and
 * the flow resumes with `return` (the callback's `VirtualAgentProvider*` fields and the call's
 * parameters as outputs); a caller who hangs up during the session is `hangup`.
 *
 * @example
 * { "name": "bot", "type": "connect-virtual-agent", "transitions": [{ "event": "return", "next": "menu" }, { "event": "hangup" }],
 *   "properties": { "connector": "dialogflow_es", "language": "en-US", "sentiment_analysis": "true", "status_callback": "https://example.test/va-status" } }
 */
export const connectVirtualAgent: WidgetBehaviour<Infer<typeof connectVirtualAgentProps>> = {
  type: 'connect-virtual-agent',
  parse: (properties) => parseProperties('connect-virtual-agent', connectVirtualAgentProps, properties),
  run: async ({ name, stepSid, props, render, host }) => {
    const agent: TwimlNode = {
      verb: 'VirtualAgent',
      attributes: attributes({
        connectorName: attribute(props.connector, render),
        language: attribute(props.language, render),
        sentimentAnalysis: attribute(props.sentiment_analysis, render),
        statusCallback: attribute(props.status_callback, render),
      }),
    };
    const connect: TwimlNode = { verb: 'Connect', attributes: { action: CALLBACK_URL, method: 'POST' }, children: [agent] };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [connect], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => ({ event: 'return', outputs: callParams(params) }));
  },
};
