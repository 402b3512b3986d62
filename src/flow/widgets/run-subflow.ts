import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { integerLike, keyValueList, offset, oneOf, text } from '../values';

/**
 * Run Subflow — runs another flow inside the same execution and continues when it ends; the
 * subflow's Set Variables come back under `widgets.<name>`. `flow_sid` must be a literal SID.
 */
export const runSubflow = defineWidget({
  type: 'run-subflow',
  label: 'Run Subflow',
  events: ['completed', 'failed'],
  failureEvent: 'failed',
  literalProperties: ['flow_sid'],
  publishesVariables: true,
  editor: {
    group: 'Flow Control',
    namePrefix: 'subflow',
    defaults: { flow_revision: 'LatestPublished', parameters: [] },
  },
  properties: z.looseObject({
    flow_sid: text.min(1, 'a subflow needs a flow_sid'),
    // A revision number, or one of the moving targets.
    flow_revision: z.union([oneOf(['LatestPublished', 'LatestRevision']), integerLike]),
    parameters: keyValueList.optional(),
    offset: offset.optional(),
  }),
});
