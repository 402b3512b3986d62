import type { JsonObject } from './json';

/** The trigger events of Studio's Trigger widget, one per way an execution starts. */
export const TRIGGER_EVENTS = [
  'incomingMessage',
  'incomingCall',
  'incomingConversationMessage',
  'incomingRequest',
  'incomingParent',
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

/** Which `trigger.*` subtree each trigger fills (studio-spec §3.1). */
const TRIGGER_SUBTREE: Record<TriggerEvent, 'message' | 'call' | 'conversation' | 'request' | 'parent'> = {
  incomingMessage: 'message',
  incomingCall: 'call',
  incomingConversationMessage: 'conversation',
  incomingRequest: 'request',
  incomingParent: 'parent',
};

/** What started an execution, as the webhook/REST layer hands it to the engine. */
export interface ExecutionTrigger {
  readonly event: TriggerEvent;
  /** The trigger subtree's content, e.g. the inbound message's webhook parameters (PascalCase kept). */
  readonly data: JsonObject;
  /** The end user: inbound `From`, REST `To` → `contact.channel.address`. */
  readonly contactAddress: string;
  /** Our side: inbound `To`, REST `From` → `flow.channel.address`. */
  readonly channelAddress: string;
  /** REST `Parameters` → `flow.data`. */
  readonly flowData?: JsonObject;
}

/**
 * The Flow context exactly as Studio builds it: `flow`, `trigger`, `contact`, `widgets`.
 * Liquid templates read it with the same paths (`{{flow.variables.x}}`, `{{widgets.w.Body}}`).
 */
export interface FlowContext extends JsonObject {
  flow: {
    flow_sid: string;
    /** The execution's FN sid (Studio's naming quirk). */
    sid: string;
    /** `address`, and what Start / Resume Conversation merge in (`conversation`, `webhook_sid`). */
    channel: { address: string } & JsonObject;
    data?: JsonObject;
    variables: JsonObject;
  };
  trigger: JsonObject;
  contact: { channel: { address: string } };
  widgets: Record<string, JsonObject>;
}

/** Builds the context an execution starts with. */
export function initialContext(flowSid: string, executionSid: string, trigger: ExecutionTrigger): FlowContext {
  return {
    flow: {
      flow_sid: flowSid,
      sid: executionSid,
      channel: { address: trigger.channelAddress },
      ...(trigger.flowData !== undefined ? { data: trigger.flowData } : {}),
      variables: {},
    },
    trigger: { [TRIGGER_SUBTREE[trigger.event]]: trigger.data },
    contact: { channel: { address: trigger.contactAddress } },
    widgets: {},
  };
}
