import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { offset } from '../values';

/**
 * Trigger — the flow's entry point, exactly one per flow. Its events say how the execution
 * started; it has no properties but its canvas `offset`.
 */
export const trigger = defineWidget({
  type: 'trigger',
  label: 'Trigger',
  events: ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'],
  properties: z.looseObject({ offset: offset.optional() }),
});
