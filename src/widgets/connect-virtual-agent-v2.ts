import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { connectVirtualAgentV2Props } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, parameterNodes, voiceOutcome } from './voice';


/** `VirtualAgentStatus` values that are events of their own; anything else is `failed`. */
const STATUSES = new Set(['completed', 'live-agent-handoff', 'paused', 'timeout']);

/**
 * Connect Virtual Agent (Dialogflow CX) — hands the call to a CX agent with
 * `<Connect><VirtualAgent>`: `parameters` go to the agent as session parameters, `configurations`
 * set the connector (voice, language, …). When the session ends Twilio calls back and its
 * `VirtualAgentStatus` is the event (`completed`, `live-agent-handoff`, `paused`, `timeout`,
 * else `failed`). Only the voice channel exists here: a `conversations` agent is `failed`
 * (`virtual-agent:unsupported-channel`). On Conversations, Studio hands the chat to Twilio's own
 * Dialogflow CX integration (a Flex beta enabled by Twilio support:
 * https://www.twilio.com/docs/studio/widget-library/connect-virtual-agent-flex), which exchanges
 * the messages with Google inside Twilio and has no public API or TwiML to stand in for; voice
 * is plain `<Connect><VirtualAgent>` TwiML, which Twilio runs for any caller of our flow URL.
 *
 * @example
 * { "name": "bot", "type": "connect-virtual-agent-v2",
 *   "transitions": [{ "event": "completed" }, { "event": "live-agent-handoff", "next": "agent" }, { "event": "hangup" },
 *     { "event": "failed" }, { "event": "paused" }, { "event": "timeout" }],
 *   "properties": { "connector_name": "TravelBot", "status_callback": "https://example.test/va-status", "status_callback_method": "POST",
 *     "configurations": [{ "key": "language", "value": "en-AU" }], "parameters": [{ "key": "caller", "value": "{{trigger.call.From}}" }] } }
 */
export const connectVirtualAgentV2: WidgetBehaviour<Infer<typeof connectVirtualAgentV2Props>> = {
  type: 'connect-virtual-agent-v2',
  parse: (properties) => parseProperties('connect-virtual-agent-v2', connectVirtualAgentV2Props, properties),
  run: async ({ name, stepSid, props, render, host, limits }) => {
    if (render(props.channel ?? 'voice').trim().toLowerCase() === 'conversations') {
      return {
        event: 'failed',
        outputs: {},
        error: {
          code: 'virtual-agent:unsupported-channel',
          message: "Connect Virtual Agent on Conversations needs Twilio's Dialogflow CX integration for Conversations (Flex beta), which has no public API to stand in for; only the voice channel runs here",
        },
      };
    }
    const agent: TwimlNode = {
      verb: 'VirtualAgent',
      attributes: attributes({
        connectorName: attribute(props.connector_name, render),
        statusCallback: attribute(props.status_callback, render),
        statusCallbackMethod: attribute(props.status_callback_method, render),
      }),
      children: [...parameterNodes(props.parameters, render, limits), ...parameterNodes(props.configurations, render, limits, 'Config')],
    };
    const connect: TwimlNode = { verb: 'Connect', attributes: { action: CALLBACK_URL, method: 'POST' }, children: [agent] };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [connect], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => {
      const status = typeof params.VirtualAgentStatus === 'string' ? params.VirtualAgentStatus.toLowerCase() : '';
      return { event: STATUSES.has(status) ? status : 'failed', outputs: callParams(params) };
    });
  },
};
