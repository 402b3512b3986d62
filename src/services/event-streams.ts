import { randomUUID } from 'node:crypto';
import { sinkTestCloudEvent } from '../events/cloudevent';
import { EVENT_TYPES, eventType } from '../events/event-types';
import { destinationRefusal, parseSinkConfiguration } from '../events/sink-config';
import { jsonTextTooDeep, jsonValueTooDeep } from '../engine/json';
import { DEFAULT_LIMITS } from '../engine/limits';
import type { EgressPolicy } from '../net/egress';
import type { EventOutbox } from '../store/event-outbox';
import type { EventSinks, SinkRecord, SubscribedType, SubscriptionRecord } from '../store/event-sinks';
import { newSid } from '../sids';

/** A request the Events API refuses; `parameter` names the input at fault. */
export class EventStreamRejected extends Error {
  constructor(
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'EventStreamRejected';
  }
}

/** A subscribed type as asked for: no version means the version we emit. */
export interface RequestedType {
  readonly type: string;
  readonly schemaVersion?: number;
}

/**
 * Sinks and subscriptions of Event Streams: the rules of Twilio's Events API (a sink proves it
 * receives before anything subscribes to it) over the store. Delivery happens elsewhere.
 */
export class EventStreamService {
  constructor(
    readonly sinks: EventSinks,
    private readonly outbox: EventOutbox,
    /** The policy the worker's deliveries go through (HTTP_BLOCK_PRIVATE): a destination it always refuses is refused here. */
    private readonly egress: EgressPolicy = { blockPrivate: false },
    /** LIMIT_MAX_JSON_DEPTH: the configuration is stored and served back, so it is never deeper. */
    private readonly maxJsonDepth: number = DEFAULT_LIMITS.maxJsonDepth,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createSink(accountSid: string, input: { description: string; sinkType: string; configuration: unknown }): Promise<SinkRecord> {
    if (input.sinkType !== 'webhook') {
      throw new EventStreamRejected(`SinkType ${input.sinkType} is not supported: this server delivers events to webhook sinks only`, 'SinkType');
    }
    const { configuration } = input;
    if (typeof configuration === 'string' ? jsonTextTooDeep(configuration, this.maxJsonDepth) : jsonValueTooDeep(configuration, this.maxJsonDepth)) {
      throw new EventStreamRejected(`Invalid parameter SinkConfiguration: it nests arrays or objects more than ${this.maxJsonDepth} levels deep (LIMIT_MAX_JSON_DEPTH)`, 'SinkConfiguration');
    }
    const config = parseSinkConfiguration(configuration);
    if (!config.ok) throw new EventStreamRejected(`Invalid parameter SinkConfiguration: ${config.message}`, 'SinkConfiguration');
    const refused = destinationRefusal(config.value.destination, this.egress);
    if (refused) throw new EventStreamRejected(`Invalid parameter SinkConfiguration: ${refused}`, 'SinkConfiguration');
    return this.sinks.createSink({
      sid: newSid('DG'),
      accountSid,
      description: input.description,
      sinkType: 'webhook',
      configuration: config.value,
      status: 'initialized',
      dateCreated: this.now().toISOString(),
    });
  }

  async describeSink(accountSid: string, sid: string, description: string): Promise<SinkRecord | undefined> {
    return this.sinks.updateSink(accountSid, sid, { description }, this.now().toISOString());
  }

  /**
   * Owes the sink a test event carrying a fresh test id. A sink that is already active stays
   * active: re-testing must not stop its deliveries (events recorded meanwhile would be lost to it).
   */
  async testSink(accountSid: string, sid: string): Promise<SinkRecord | undefined> {
    const sink = await this.sinks.sink(accountSid, sid);
    if (!sink) return undefined;
    const testId = randomUUID();
    const time = this.now().toISOString();
    await this.outbox.recordFor(sid, (sequence) => ({ accountSid, stream: sid, sequence, flowSid: null, envelope: sinkTestCloudEvent(accountSid, sid, sequence, testId, time) }));
    return this.sinks.updateSink(accountSid, sid, { testId, ...(sink.status === 'active' ? {} : { status: 'validating' as const }) }, time);
  }

  /** Activates the sink when `testId` is the one its latest test event carried. */
  async validateSink(accountSid: string, sid: string, testId: string): Promise<SinkRecord | undefined> {
    const sink = await this.sinks.sink(accountSid, sid);
    if (!sink) return undefined;
    if (sink.testId === null) {
      throw new EventStreamRejected(`Sink ${sid} has not been tested: POST /v1/Sinks/${sid}/Test first, then send the test_id its test event carries`, 'TestId');
    }
    if (sink.testId !== testId) {
      throw new EventStreamRejected(`Invalid parameter TestId: it is not the test_id of the latest test event sent to sink ${sid}`, 'TestId');
    }
    return sink.status === 'active' ? sink : this.sinks.updateSink(accountSid, sid, { status: 'active' }, this.now().toISOString());
  }

  async createSubscription(accountSid: string, input: { description: string; sinkSid: string; types: readonly RequestedType[] }): Promise<SubscriptionRecord> {
    await this.requireActiveSink(accountSid, input.sinkSid);
    const types = input.types.map((t) => resolveType(t));
    const duplicate = types.find((t, i) => types.findIndex((o) => o.type === t.type) !== i);
    if (duplicate) throw new EventStreamRejected(`Invalid parameter Types: ${duplicate.type} is listed more than once`, 'Types');
    return this.sinks.createSubscription({ sid: newSid('DF'), accountSid, sinkSid: input.sinkSid, description: input.description, dateCreated: this.now().toISOString() }, types);
  }

  async updateSubscription(accountSid: string, sid: string, changes: { description?: string; sinkSid?: string }): Promise<SubscriptionRecord | undefined> {
    if (!(await this.sinks.subscription(accountSid, sid))) return undefined;
    if (changes.sinkSid !== undefined) await this.requireActiveSink(accountSid, changes.sinkSid);
    return this.sinks.updateSubscription(accountSid, sid, changes, this.now().toISOString());
  }

  /** Adds a type to a subscription; false when it already subscribes to it. */
  async addSubscribedType(subscriptionSid: string, requested: RequestedType): Promise<SubscribedType | false> {
    const type = resolveType(requested, 'Type');
    const current = await this.sinks.subscribedTypes(subscriptionSid);
    if (current.some((t) => t.type === type.type)) return false;
    await this.sinks.putSubscribedType(subscriptionSid, type);
    return type;
  }

  /** Changes the schema version of a subscribed type; undefined when it is not subscribed. */
  async updateSubscribedType(subscriptionSid: string, requested: RequestedType): Promise<SubscribedType | undefined> {
    const current = (await this.sinks.subscribedTypes(subscriptionSid)).find((t) => t.type === requested.type);
    if (!current) return undefined;
    const type = resolveType({ type: requested.type, schemaVersion: requested.schemaVersion ?? current.schemaVersion }, 'Type');
    await this.sinks.putSubscribedType(subscriptionSid, type);
    return type;
  }

  private async requireActiveSink(accountSid: string, sinkSid: string): Promise<void> {
    const sink = await this.sinks.sink(accountSid, sinkSid);
    if (!sink) throw new EventStreamRejected(`Invalid parameter SinkSid: there is no sink ${sinkSid}`, 'SinkSid');
    if (sink.status !== 'active') {
      throw new EventStreamRejected(
        `Sink ${sinkSid} is ${sink.status}, not active: send it a test event (POST /v1/Sinks/${sinkSid}/Test), then validate it with the test_id it received (POST /v1/Sinks/${sinkSid}/Validate) before subscribing it to events`,
        'SinkSid',
      );
    }
  }
}

/** A requested type checked against the types we emit, with its version filled in. */
function resolveType(requested: RequestedType, parameter: 'Types' | 'Type' = 'Types'): SubscribedType {
  const known = eventType(requested.type);
  if (!known) {
    throw new EventStreamRejected(`Invalid parameter ${parameter}: unknown event type ${requested.type}; the types this server emits are ${EVENT_TYPES.map((t) => t.type).join(', ')}`, parameter);
  }
  const version = requested.schemaVersion ?? known.schemaVersion;
  // We produce one shape per type; accepting another version would promise data we never send.
  if (version !== known.schemaVersion) {
    throw new EventStreamRejected(`Invalid parameter SchemaVersion: ${known.type} is emitted with schema version ${known.schemaVersion} only, not ${version}`, 'SchemaVersion');
  }
  return { type: known.type, schemaVersion: version };
}
