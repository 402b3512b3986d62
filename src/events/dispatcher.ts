import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { request, type Dispatcher } from 'undici';
import type { Logger } from '../logger';
import { egressRefusalOf } from '../net/egress';
import type { Metrics } from '../observability/metrics';
import type { EventOutbox, PendingDelivery } from '../store/event-outbox';
import type { SinkLimits } from '../limits/sinks';
import { parseSinkConfiguration, type WebhookSinkConfiguration } from './sink-config';

export interface EventDispatcherOptions {
  readonly outbox: EventOutbox;
  /** Signs deliveries (`X-Twilio-Signature`), as Twilio signs its webhooks. */
  readonly authToken: string;
  /** The egress-checked HTTP agent: sinks obey the same outbound policy as flows. */
  readonly agent: Dispatcher;
  readonly limits: SinkLimits;
  /** Events older than this are dropped, delivered or not (the execution retention). */
  readonly retentionMs: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

/** Batches a sink may take per round before other sinks get their turn. */
const BATCHES_PER_ROUND = 10;
/** How long a dispatcher keeps a sink to itself; renewed every round. */
const LEASE_MS = 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

/** Why a delivery failed; `refused` when the egress policy will never let it through. */
interface DeliveryFailure {
  readonly problem: string;
  readonly refused: boolean;
}

/**
 * Delivers the outbox to webhook sinks: at least once (an event leaves the outbox only when a
 * sink answered 2xx), in order per execution (an event waits behind its execution's earliest
 * undelivered one), retried with exponential backoff until retention drops it. A sink whose
 * destination the egress policy refuses is given up at once instead (see `abandon`). One
 * dispatcher holds a sink at a time (a lease in the store), so several workers can run one each.
 */
export class EventDispatcher {
  private readonly owner = `dispatcher-${randomUUID()}`;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;
  private lastPurge = 0;

  constructor(private readonly options: EventDispatcherOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New events were stored: look now instead of at the next poll. */
  notify(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One pass over every sink that is owed something. */
  async deliverOnce(): Promise<void> {
    await this.purgeIfDue();
    for (const sink of await this.options.outbox.sinksWithDeliveries()) {
      if (!(await this.options.outbox.lease(sink.sid, this.owner, Date.now() + LEASE_MS))) continue;
      const config = parseSinkConfiguration(sink.configuration);
      if (!config.ok) {
        this.options.logger.warn({ sink_sid: sink.sid, problem: config.message }, 'event sink has an invalid configuration; its events wait');
        continue;
      }
      await this.deliverToSink(sink.sid, config.value);
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      try {
        await this.deliverOnce();
      } catch (err) {
        this.options.logger.error({ err }, 'event delivery round failed; retrying at the next poll');
      }
      if (!this.running || this.nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.limits.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async deliverToSink(sinkSid: string, config: WebhookSinkConfiguration): Promise<void> {
    for (let round = 0; round < BATCHES_PER_ROUND; round++) {
      const due = await this.options.outbox.due(sinkSid, this.options.limits.maxBatchEvents);
      if (due.length === 0) return;
      const settled = config.batch_events ? await this.deliverBatch(sinkSid, config, due) : await this.deliverEach(sinkSid, config, due);
      if (!settled) return;
    }
  }

  /** One request for the whole batch; false when the sink refused it. */
  private async deliverBatch(sinkSid: string, config: WebhookSinkConfiguration, due: readonly PendingDelivery[]): Promise<boolean> {
    const failure = await this.post(config, due);
    if (failure) {
      await this.failed(sinkSid, due, failure);
      return false;
    }
    await this.delivered(sinkSid, due);
    return true;
  }

  /** One request per event; a failure holds back the rest of that execution's events. */
  private async deliverEach(sinkSid: string, config: WebhookSinkConfiguration, due: readonly PendingDelivery[]): Promise<boolean> {
    const blocked = new Set<string>();
    for (const delivery of due) {
      if (blocked.has(delivery.stream)) continue;
      const failure = await this.post(config, [delivery]);
      if (failure) {
        blocked.add(delivery.stream);
        await this.failed(sinkSid, [delivery], failure);
        // An abandoned sink is owed nothing more.
        if (failure.refused) return false;
      } else {
        await this.delivered(sinkSid, [delivery]);
      }
    }
    return blocked.size === 0;
  }

  private async delivered(sinkSid: string, deliveries: readonly PendingDelivery[]): Promise<void> {
    await this.options.outbox.delivered(sinkSid, deliveries.map((d) => d.eventId));
    this.options.metrics?.sinkDeliveries.inc({ sink: sinkSid, outcome: 'delivered' }, deliveries.length);
  }

  private async failed(sinkSid: string, deliveries: readonly PendingDelivery[], failure: DeliveryFailure): Promise<void> {
    if (failure.refused) return this.abandon(sinkSid, failure.problem);
    const { problem } = failure;
    await this.options.outbox.failed(sinkSid, deliveries, problem, (attempts) => Date.now() + this.backoff(attempts));
    this.options.metrics?.sinkDeliveries.inc({ sink: sinkSid, outcome: 'failed' }, deliveries.length);
    this.options.logger.warn({ sink_sid: sinkSid, events: deliveries.length, attempts: deliveries[0]!.attempts + 1, problem }, 'event delivery failed; will retry');
  }

  /**
   * The egress policy refused the destination (a name resolving to a metadata, link-local or
   * — under HTTP_BLOCK_PRIVATE — private address): no retry can succeed while it does, and
   * retrying until retention would knock on that address for days. The sink is marked failed
   * and what it was owed dropped, counted as `refused`; a new test event and validation bring it back.
   */
  private async abandon(sinkSid: string, problem: string): Promise<void> {
    const dropped = await this.options.outbox.abandon(sinkSid, new Date().toISOString());
    this.options.metrics?.sinkDeliveries.inc({ sink: sinkSid, outcome: 'refused' }, dropped);
    this.options.logger.error({ sink_sid: sinkSid, dropped_events: dropped, problem }, 'event sink destination refused by the egress policy; sink marked failed and its undelivered events dropped');
  }

  /** POSTs a JSON array of CloudEvents; returns why it failed, or undefined on 2xx. */
  private async post(config: WebhookSinkConfiguration, deliveries: readonly PendingDelivery[]): Promise<DeliveryFailure | undefined> {
    const { url, authorization } = splitCredentials(config.destination);
    const body = JSON.stringify(deliveries.map((d) => d.envelope));
    try {
      const response = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(this.options.authToken, url, {}),
          'user-agent': 'open-studio-event-streams',
          ...(authorization ? { authorization } : {}),
        },
        body,
        dispatcher: this.options.agent,
        signal: AbortSignal.timeout(this.options.limits.deliveryTimeoutMs),
      });
      // Drain the body so the connection can be reused; its content does not matter.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return response.statusCode >= 200 && response.statusCode < 300 ? undefined : { problem: `the sink answered HTTP ${response.statusCode}`, refused: false };
    } catch (err) {
      const refusal = egressRefusalOf(err);
      return { problem: `the sink could not be reached: ${(refusal ?? (err as Error)).message}`, refused: refusal !== undefined };
    }
  }

  private backoff(attempts: number): number {
    const { retryInitialMs, retryMaxMs } = this.options.limits;
    const base = Math.min(retryMaxMs, retryInitialMs * 2 ** Math.min(attempts - 1, 30));
    // ±20 % so that many executions' retries do not arrive in lockstep.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async purgeIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    const purged = await this.options.outbox.purge(now - this.options.retentionMs);
    if (purged > 0) this.options.logger.info({ events: purged }, 'dropped events past retention');
  }
}

/** Twilio's sinks take Basic credentials in the URL's user info; send them as a header instead. */
function splitCredentials(destination: string): { url: string; authorization?: string } {
  const parsed = new URL(destination);
  if (!parsed.username && !parsed.password) return { url: destination };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}
