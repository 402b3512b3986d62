import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import type { Infer } from './props';
import { sendToAutoPilotProps } from './readers.generated';

/**
 * Send to Autopilot — Twilio retired Autopilot in 2023, so no bot can answer: the widget takes
 * its `failure` path at once, as a flow still using it does on Twilio today. Kept so that
 * exported flows with it import and run their fallback.
 */
export const sendToAutoPilot: WidgetBehaviour<Infer<typeof sendToAutoPilotProps>> = {
  type: 'send-to-auto-pilot',
  parse: (properties) => parseProperties('send-to-auto-pilot', sendToAutoPilotProps, properties),
  run: () => ({ event: 'failure', outputs: {}, error: { code: 'autopilot:retired', message: 'Twilio Autopilot was retired; Send to Autopilot always fails' } }),
};
