import { z } from 'zod';

/**
 * A webhook sink's `sink_configuration`, as Twilio's Events API takes it, plus `flow_sids`
 * (ours): when given, the sink receives only the events of executions of those flows.
 */
export const webhookSinkConfiguration = z
  .object({
    destination: z.url({ protocol: /^https?$/, error: 'destination must be an http(s) URL' }),
    method: z
      .string()
      .toUpperCase()
      .refine((m) => m === 'POST', 'method must be POST (events are delivered as a JSON body)')
      .default('POST'),
    batch_events: z.boolean().default(true),
    flow_sids: z.array(z.string().regex(/^FW[0-9a-f]{32}$/, 'flow_sids must hold Flow SIDs (FW…)')).max(100).optional(),
  })
  .loose();

export type WebhookSinkConfiguration = z.infer<typeof webhookSinkConfiguration>;

/** Parses a stored or submitted configuration; the message names what is wrong. */
export function parseSinkConfiguration(json: unknown): { ok: true; value: WebhookSinkConfiguration } | { ok: false; message: string } {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      return { ok: false, message: 'SinkConfiguration must be a JSON object' };
    }
  }
  const parsed = webhookSinkConfiguration.safeParse(value);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  return { ok: true, value: parsed.data };
}

/** Whether a sink with this configuration takes events of executions of this flow. */
export function sinkTakesFlow(config: WebhookSinkConfiguration, flowSid: string | null): boolean {
  return !config.flow_sids || (flowSid !== null && config.flow_sids.includes(flowSid));
}
