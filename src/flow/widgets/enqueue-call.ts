import { z } from 'zod';
import { CALL_PARAMS, QUEUE_RESULT } from '../outputs';
import { defineWidget } from '../widget-spec';
import { exactlyOneOf, integerLike, offset, oneOf, text } from '../values';

/**
 * Enqueue Call — puts the caller in a named queue (`queue_name`) or hands the call to a
 * TaskRouter workflow (`workflow_sid`); exactly one of the two.
 */
export const enqueueCall = defineWidget({
  type: 'enqueue-call',
  label: 'Enqueue Call',
  events: ['callComplete', 'failedToEnqueue', 'callFailure'],
  failureEvent: 'failedToEnqueue',
  onCall: true,
  outputs: [...QUEUE_RESULT, ...CALL_PARAMS],
  movedHere: (p) => (typeof p.workflow_sid === 'string' && p.workflow_sid.trim() !== '' ? "enqueues into TaskRouter of the Twilio account whose credentials this server has: the workflow SID must be that account's" : undefined),
  editor: {
    group: 'Voice',
    namePrefix: 'enqueue',
    defaults: { queue_name: '' },
    multiline: ['task_attributes'],
    advanced: ['priority', 'timeout'],
  },
  properties: z
    .looseObject({
      queue_name: text.optional(),
      workflow_sid: text.optional(),
      task_attributes: text.optional(),
      priority: integerLike.optional(),
      timeout: integerLike.optional(),
      wait_url: text.optional(),
      wait_url_method: oneOf(['GET', 'POST']).optional(),
      offset: offset.optional(),
    })
    .superRefine(exactlyOneOf(['queue_name', 'workflow_sid'])),
});
