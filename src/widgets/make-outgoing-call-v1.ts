import type { WidgetBehaviour } from '../engine/widget';
import { callOutcome, outgoingCall } from './make-outgoing-call-v2';
import { parseProperties } from './parse';
import type { Infer } from './props';
import { makeOutgoingCallV1Props } from './readers.generated';

/**
 * Make Outgoing Call (legacy) — places the call as `make-outgoing-call-v2` does (its properties
 * are a subset of v2's), with two more events: `answeredByMachine` when answering-machine
 * detection says a machine answered (`AnsweredBy` `machine_start`, `machine_end_beep`, …), so the
 * flow can leave a message; and `hangup` when the call was answered and already over
 * (`completed`) before the flow could speak to it.
 *
 * @example
 * { "name": "call_out", "type": "make-outgoing-call-v1",
 *   "transitions": [{ "event": "answered", "next": "greet" }, { "event": "busy" }, { "event": "noAnswer" }, { "event": "failed" },
 *     { "event": "answeredByMachine", "next": "voicemail" }, { "event": "hangup" }],
 *   "properties": { "from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}", "detect_answering_machine": true, "machine_detection": "Enable" } }
 */
export const makeOutgoingCallV1: WidgetBehaviour<Infer<typeof makeOutgoingCallV1Props>> = {
  type: 'make-outgoing-call-v1',
  parse: (properties) => parseProperties('make-outgoing-call-v1', makeOutgoingCallV1Props, properties),
  run: async (run) => {
    const result = await run.host.placeCall(outgoingCall(run));
    if (result.ok && result.status?.toLowerCase() === 'completed') return { event: 'hangup', outputs: result.call };
    const outcome = callOutcome(result);
    const answeredBy = result.ok && typeof result.call.AnsweredBy === 'string' ? result.call.AnsweredBy.toLowerCase() : '';
    if (outcome.event === 'answered' && answeredBy.startsWith('machine')) return { ...outcome, event: 'answeredByMachine' };
    return outcome;
  },
};
