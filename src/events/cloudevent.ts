import { createHash } from 'node:crypto';
import { EVENT_SCHEMAS, type ExecutionEvent } from '../engine/events';
import type { JsonObject } from '../engine/json';

/**
 * A CloudEvents 1.0 envelope as Twilio's Event Streams deliver it, plus the `sequence`
 * extension: events of one execution carry 1, 2, 3… so a consumer can order them and see gaps.
 */
export interface CloudEvent extends JsonObject {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  /** The ordering key: the execution SID (for a sink test, the sink SID). */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string | null;
  /** CloudEvents sequence extension: a decimal integer as a string, with `sequencetype`. */
  sequence: string;
  sequencetype: 'Integer';
  data: JsonObject;
}

/** The event's id: the same stream and sequence always give the same id, so duplicates are recognisable. */
function eventId(stream: string, sequence: number): string {
  return `EV${createHash('sha256').update(`${stream}:${sequence}`).digest('hex').slice(0, 32)}`;
}

export function executionCloudEvent(accountSid: string, executionSid: string, rootFlowSid: string, event: ExecutionEvent): CloudEvent {
  return {
    specversion: '1.0',
    id: eventId(executionSid, event.sequence),
    type: event.type,
    source: `/v2/Flows/${rootFlowSid}/Executions/${executionSid}`,
    subject: executionSid,
    time: event.time,
    datacontenttype: 'application/json',
    dataschema: EVENT_SCHEMAS[event.type]?.url ?? null,
    sequence: String(event.sequence),
    sequencetype: 'Integer',
    data: { account_sid: accountSid, ...event.data },
  };
}

/** The event a sink test sends (Twilio's Sink Test): validation quotes its `test_id` back. */
export const SINK_TEST_EVENT = 'com.twilio.eventstreams.test-event';

export function sinkTestCloudEvent(accountSid: string, sinkSid: string, sequence: number, testId: string, time: string): CloudEvent {
  return {
    specversion: '1.0',
    id: eventId(sinkSid, sequence),
    type: SINK_TEST_EVENT,
    source: `/v1/Sinks/${sinkSid}`,
    subject: sinkSid,
    time,
    datacontenttype: 'application/json',
    dataschema: null,
    sequence: String(sequence),
    sequencetype: 'Integer',
    data: { account_sid: accountSid, sink_sid: sinkSid, test_id: testId },
  };
}
