import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { recordCallProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, executionCallSid, truthy } from './voice';


/**
 * Call Recording — starts (`record_call: true`) or stops (`false`) recording the live call
 * through the Calls API; no TwiML, so the call goes on undisturbed. `success` publishes the
 * Recording resource (`Sid`, `Status`, `Uri`, …); a refused request, or an execution with no
 * call, is `failed`.
 *
 * @example
 * { "name": "start_recording", "type": "record-call", "transitions": [{ "event": "success", "next": "menu" }, { "event": "failed" }],
 *   "properties": { "record_call": true, "recording_status_callback": "https://example.test/recordings",
 *     "recording_status_callback_method": "POST", "recording_status_callback_events": "completed", "recording_channels": "dual", "trim": "do-not-trim" } }
 */
export const recordCall: WidgetBehaviour<Infer<typeof recordCallProps>> = {
  type: 'record-call',
  parse: (properties) => parseProperties('record-call', recordCallProps, properties),
  run: async ({ name, stepSid, props, context, render, host }) => {
    const callSid = executionCallSid(context);
    if (callSid === undefined) return { event: 'failed', outputs: {}, error: { code: 'voice:no-call', message: `Widget "${name}" records a call, and this execution has none` } };
    const options: Record<string, string> = {};
    const set = (key: string, value: unknown) => {
      const text = attribute(value, render);
      if (text !== undefined) options[key] = String(text);
    };
    set('RecordingStatusCallback', props.recording_status_callback);
    set('RecordingStatusCallbackMethod', props.recording_status_callback_method);
    set('RecordingStatusCallbackEvent', props.recording_status_callback_events);
    set('RecordingChannels', props.recording_channels);
    set('Trim', props.trim);
    const result = await host.recordCall({
      widget: name,
      idempotencyKey: `${context.flow.sid}:${stepSid}`,
      callSid,
      start: truthy(attribute(props.record_call, render)),
      options,
    });
    if (!result.ok) return { event: 'failed', outputs: {}, error: { code: result.code, message: result.message } };
    return { event: 'success', outputs: result.recording };
  },
};

