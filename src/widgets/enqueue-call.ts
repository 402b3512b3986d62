import { CALLBACK_URL, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { enqueueCallProps } from './readers.generated';
import type { Infer } from './props';
import { attribute, attributes, enqueueOutcome, taskNode, voiceOutcome } from './voice';


/**
 * Enqueue Call — puts the caller in a named queue, or (with `workflow_sid`) hands the call to a
 * TaskRouter workflow as a task with `task_attributes`, with `<Enqueue>`. Twilio calls back
 * when the caller leaves the queue; its `QueueResult` decides the event (see `enqueueOutcome`).
 *
 * @example
 * { "name": "to_agents", "type": "enqueue-call",
 *   "transitions": [{ "event": "callComplete" }, { "event": "failedToEnqueue", "next": "sorry" }, { "event": "callFailure" }],
 *   "properties": { "workflow_sid": "WW00000000000000000000000000000001", "task_attributes": "{\"type\": \"support\"}", "priority": 10, "timeout": 3600 } }
 */
export const enqueueCall: WidgetBehaviour<Infer<typeof enqueueCallProps>> = {
  type: 'enqueue-call',
  parse: (properties) => parseProperties('enqueue-call', enqueueCallProps, properties),
  run: async ({ name, stepSid, props, render, host }) => {
    const workflowSid = attribute(props.workflow_sid, render);
    const enqueue: TwimlNode = {
      verb: 'Enqueue',
      attributes: attributes({
        action: CALLBACK_URL,
        method: 'POST',
        workflowSid,
        waitUrl: attribute(props.wait_url, render),
        waitUrlMethod: attribute(props.wait_url_method, render),
      }),
      ...(workflowSid !== undefined
        ? { children: [taskNode(props.task_attributes, props.priority, props.timeout, render)] }
        : { text: render(props.queue_name ?? '').trim() }),
    };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [enqueue], awaitCallback: true });
    return voiceOutcome(name, outcome, enqueueOutcome);
  },
};


