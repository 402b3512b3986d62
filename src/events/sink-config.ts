import { z } from 'zod';
import { literalHostRefusal, PRIVATE_RANGES, type EgressPolicy } from '../net/egress';

/**
 * A webhook sink's `sink_configuration`, as Twilio's Events API takes it, plus `flow_sids`
 * (ours): when given, the sink receives only the events of executions of those flows.
 */
const webhookSinkConfiguration = z
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

/**
 * Why events may never reach `destination` (an http(s) URL) under the egress policy that
 * delivers them: its host is an address in a refused range. Refused when the sink is created,
 * rather than retried at every delivery; a name is checked on what it resolves to, at delivery.
 */
export function destinationRefusal(destination: string, policy: EgressPolicy): string | undefined {
  const refused = literalHostRefusal(new URL(destination).hostname, policy);
  if (!refused) return undefined;
  const setting = PRIVATE_RANGES.has(refused.range) ? '; HTTP_BLOCK_PRIVATE is set' : '';
  return `destination host ${refused.address} is not reachable from this server (${refused.range} address${setting})`;
}

/** Whether a sink with this configuration takes events of executions of this flow. */
export function sinkTakesFlow(config: WebhookSinkConfiguration, flowSid: string | null): boolean {
  return !config.flow_sids || (flowSid !== null && config.flow_sids.includes(flowSid));
}

/** The outbox's sink filter: a stored configuration that takes events of `flowSid` (one that does not parse takes none). */
export function sinkConfigurationTakesFlow(configuration: string, flowSid: string | null): boolean {
  const parsed = parseSinkConfiguration(configuration);
  return parsed.ok && sinkTakesFlow(parsed.value, flowSid);
}
