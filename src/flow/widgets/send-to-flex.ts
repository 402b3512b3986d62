import { z } from 'zod';
import { QUEUE_RESULT } from '../outputs';
import { defineWidget } from '../widget-spec';
import { integerLike, offset, oneOf, text } from '../values';

/**
 * Send To Flex — creates a TaskRouter task (`workflow`, `channel`) so a Flex agent takes over
 * the call or conversation. Note Studio's camelCase `waitUrl`/`waitUrlMethod`.
 */
export const sendToFlex = defineWidget({
  type: 'send-to-flex',
  label: 'Send To Flex',
  events: ['callComplete', 'failedToEnqueue', 'callFailure'],
  failureEvent: 'failedToEnqueue',
  onCall: true,
  // In a call, `<Enqueue>`'s result; in a messaging execution, the TaskRouter Task it created.
  outputs: [...QUEUE_RESULT, 'sid', 'assignment_status', 'attributes', 'priority', 'reason', 'age', 'timeout', 'workflow_sid', 'task_queue_sid', 'task_channel_unique_name', 'date_created'],
  movedHere: () => "creates its TaskRouter task in the Flex workspace of the Twilio account whose credentials this server has (TWILIO_ACCOUNT_SID): the workflow and channel SIDs must be that account's",
  editor: {
    group: 'Connect Other Products',
    namePrefix: 'send_to_flex',
    multiline: ['attributes'],
  },
  properties: z.looseObject({
    // Required by Studio, yet a real export lacks both.
    workflow: text.optional(),
    channel: text.optional(),
    attributes: text.optional(),
    priority: integerLike.optional(),
    timeout: integerLike.optional(),
    waitUrl: text.optional(),
    waitUrlMethod: oneOf(['GET', 'POST']).optional(),
    offset: offset.optional(),
  }),
});
