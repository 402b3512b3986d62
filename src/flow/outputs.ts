/**
 * Output names several widgets share, as Twilio publishes them under `widgets.<name>.` (the
 * Studio widget reference, studio-spec §2 and §3). Each widget spec lists its own outputs with
 * these; the editor suggests them and the fixtures check the behaviours publish nothing else.
 */

/** The Message resource (Send Message's `outbound.*`, Send & Wait's `outbound.*`). */
export const MESSAGE_RESOURCE = ['Sid', 'Status', 'Body', 'From', 'To', 'Direction', 'NumMedia', 'NumSegments', 'ErrorCode', 'ErrorMessage', 'MessagingServiceSid', 'AccountSid'] as const;

/** The inbound message webhook's parameters (Send & Wait's `inbound.*`). */
export const INBOUND_MESSAGE = ['Body', 'From', 'To', 'MessageSid', 'NumMedia', 'MediaUrl0', 'AccountSid', 'MessagingServiceSid'] as const;

/** The call's parameters every voice widget publishes from Twilio's callback. */
export const CALL_PARAMS = ['CallSid', 'CallStatus', 'From', 'To'] as const;

/** What `<Enqueue>`'s action callback reports. */
export const QUEUE_RESULT = ['QueueResult', 'QueueSid', 'QueueTime'] as const;

/** What a virtual agent reports when the conversation with it ends. */
export const VIRTUAL_AGENT = ['VirtualAgentProvider', 'VirtualAgentStatus', 'VirtualAgentProviderData', 'VirtualAgentError', 'VirtualAgentErrorCode'] as const;

/** `prefix.name` for each name. */
export function under(prefix: string, names: readonly string[]): string[] {
  return names.map((name) => `${prefix}.${name}`);
}
