import { z } from 'zod';
import { CALL_PARAMS } from '../outputs';
import { defineWidget } from '../widget-spec';
import { booleanLike, integerLike, offset, oneOf, text } from '../values';

/**
 * Connect Call To — dials a number, client, SIM, SIP endpoint or conference and bridges the
 * caller to it; `noun` says which.
 */
export const connectCallTo = defineWidget({
  type: 'connect-call-to',
  label: 'Connect Call To',
  events: ['callCompleted', 'hangup'],
  onCall: true,
  outputs: ['DialCallStatus', 'DialCallSid', 'DialCallDuration', 'RecordingUrl', ...CALL_PARAMS],
  editor: {
    group: 'Voice',
    namePrefix: 'connect_call',
    defaults: { noun: 'number', to: '', caller_id: '{{contact.channel.address}}' },
    labels: { noun: 'Connect Call To', caller_id: 'Caller ID' },
    advanced: ['record', 'time_limit', 'sip_username', 'sip_password'],
  },
  properties: z.looseObject({
    noun: oneOf(['number', 'number-multi', 'client', 'sim', 'sip', 'conference']),
    to: text.optional(),
    caller_id: text.optional(),
    record: booleanLike.optional(),
    timeout: integerLike.optional(),
    time_limit: integerLike.optional(),
    sip_endpoint: text.optional(),
    sip_username: text.optional(),
    sip_password: text.optional(),
    offset: offset.optional(),
  }),
});
