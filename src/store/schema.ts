import type { Generated } from 'kysely';
import type { CampaignStatus, ScheduleRunOutcome } from '../campaigns/status';

/** Table types of the store, for Kysely. Each migration that adds a table adds its type here. */
export interface StoreSchema {
  flows: FlowsTable;
  flow_revisions: FlowRevisionsTable;
  deleted_executions: DeletedExecutionsTable;
  local_messages: LocalMessagesTable;
  inbound_webhooks: InboundWebhooksTable;
  rate_buckets: RateBucketsTable;
  local_calls: LocalCallsTable;
  event_sinks: EventSinksTable;
  event_subscriptions: EventSubscriptionsTable;
  event_subscribed_types: EventSubscribedTypesTable;
  events: EventsTable;
  event_deliveries: EventDeliveriesTable;
  api_keys: ApiKeysTable;
  insight_executions: InsightExecutionsTable;
  insight_steps: InsightStepsTable;
  flow_migrations: FlowMigrationsTable;
  flow_migration_executions: FlowMigrationExecutionsTable;
  campaigns: CampaignsTable;
  campaign_contacts: CampaignContactsTable;
  contact_lists: ContactListsTable;
  contact_list_rows: ContactListRowsTable;
  schedules: SchedulesTable;
  schedule_runs: ScheduleRunsTable;
}

export interface ApiKeysTable {
  sid: string;
  account_sid: string;
  friendly_name: string;
  /** Hex SHA-256 of the secret: the secret is 32 random bytes, so no slow hash is needed. */
  secret_hash: string;
  date_created: string;
  date_updated: string;
}

export interface EventSinksTable {
  sid: string;
  account_sid: string;
  description: string;
  /** `webhook` (the only type we deliver to). */
  sink_type: string;
  /** The sink_configuration JSON as given. */
  configuration: string;
  /** `initialized` → `validating` (after a test event) → `active` (after validation). */
  status: string;
  /** The test event's id, which validation must quote back. */
  test_id: string | null;
  /** Which dispatcher delivers to this sink, until when (epoch ms): one at a time keeps the order. */
  lease_owner: string | null;
  lease_until: number | null;
  date_created: string;
  date_updated: string;
}

export interface EventSubscriptionsTable {
  sid: string;
  account_sid: string;
  sink_sid: string;
  description: string;
  date_created: string;
  date_updated: string;
}

export interface EventSubscribedTypesTable {
  subscription_sid: string;
  type: string;
  schema_version: number;
}

export interface EventsTable {
  /** Stable: derived from stream and sequence, so a repeated record is the same event. */
  id: string;
  account_sid: string;
  /** The ordering key: the execution SID (a sink test: the sink SID). */
  stream: string;
  /** 1, 2, 3… within the stream. */
  sequence: number;
  type: string;
  flow_sid: string | null;
  time: string;
  /** Epoch ms when stored: retention counts from here. */
  recorded_at: number;
  /** The CloudEvents JSON as delivered. */
  envelope: string;
}

export interface EventDeliveriesTable {
  sink_sid: string;
  event_id: string;
  stream: string;
  sequence: number;
  attempts: Generated<number>;
  /** Epoch ms. */
  next_attempt_at: number;
  last_error: string | null;
}

export interface LocalCallsTable {
  sid: string;
  account_sid: string;
  to_address: string;
  from_address: string;
  /** What the callee's answer fetches (our flow webhook, as Twilio would). */
  url: string;
  status_callback: string;
  status: string;
  idempotency_key: string | null;
  date_created: string;
}

export interface LocalMessagesTable {
  sid: string;
  account_sid: string;
  /** `outbound` (sent by a flow) or `inbound` (posted as the contact). */
  direction: string;
  to_address: string;
  from_address: string;
  body: string;
  /** JSON array of media URLs. */
  media: string;
  status: string;
  idempotency_key: string | null;
  date_created: string;
}

export interface InboundWebhooksTable {
  message_sid: string;
  flow_sid: string;
  /** When it was claimed (ISO 8601); a claim older than the lease may be taken over. */
  received_at: string;
  /** `claimed` while a process delivers it, `taken` once delivered. */
  state: Generated<string>;
}

/** A token bucket of new executions, per account and kind, shared by every API process. */
export interface RateBucketsTable {
  bucket: string;
  tokens: number;
  /** When `tokens` was last computed, epoch ms (bigint: PostgreSQL returns it as text). */
  at_ms: number | string;
}

export interface DeletedExecutionsTable {
  execution_sid: string;
  flow_sid: string;
  deleted_at: string;
}

export interface FlowsTable {
  sid: string;
  account_sid: string;
  friendly_name: string;
  status: string;
  /** The latest revision's number. */
  revision: number;
  /** The newest published revision, which serves live traffic; null until the first publish. */
  published_revision: number | null;
  /** JSON array of contact addresses that run the latest revision. */
  test_users: Generated<string>;
  date_created: string;
  date_updated: string | null;
}

export interface FlowRevisionsTable {
  flow_sid: string;
  revision: number;
  friendly_name: string;
  status: string;
  /** The Flow JSON text as it was saved. */
  definition: string;
  commit_message: string | null;
  /** 1 or 0: integers behave the same on SQLite and PostgreSQL. */
  valid: number;
  /** JSON arrays of `{property_path, message, code}`. */
  errors: string;
  warnings: string;
  date_created: string;
  /** The flow's tests (`*.flowtest.yaml` text) as of this revision; null when it has none. */
  tests: string | null;
}

/** One execution, for flow insights (see migration 009). Times in epoch milliseconds. */
export interface InsightExecutionsTable {
  execution_sid: string;
  account_sid: string;
  flow_sid: string;
  revision: number;
  /** The trigger event that started it (`incomingMessage`, `incomingCall`, `incomingRequest`, …). */
  trigger: string;
  started_at: number;
  ended_at: number | null;
  /** Studio's `ended_reason` (`FLOW_END`, `ENDED_BY_REQUEST`, …); null while it runs. */
  ended_reason: string | null;
}

/** One step (a transition taken), for flow insights: a subflow's steps count for the subflow. */
export interface InsightStepsTable {
  execution_sid: string;
  sequence: number;
  account_sid: string;
  flow_sid: string;
  revision: number;
  /** The widget the transition left (`transitioned_from`). */
  widget: string;
  widget_type: string;
  /** The event it emitted (the step's `name`). */
  event: string;
  /** The widget it went to (`transitioned_to`), `Ended` at the end. */
  next: string;
  at: number;
  /** Why it took its failure event, when it did. */
  error_code: string | null;
}

/** A migration of waiting executions (see migration 010). Times in epoch milliseconds. */
export interface FlowMigrationsTable {
  sid: string;
  account_sid: string;
  flow_sid: string;
  to_revision: number;
  from_revision: number | null;
  widget: string | null;
  /** The account SID or API key SID whose credentials asked for it. */
  created_by: string;
  status: 'running' | 'completed';
  total: number;
  date_created: number;
  date_updated: number;
}

export type MigrationOutcome = 'pending' | 'migrated' | 'already' | 'refused' | 'failed';

/** One execution a migration took on, and what became of it. */
export interface FlowMigrationExecutionsTable {
  migration_sid: string;
  execution_sid: string;
  workflow_id: string;
  from_revision: number;
  widget: string;
  status: MigrationOutcome;
  /** Why it was refused or failed. */
  reason: string | null;
  date_updated: number;
}

export type { CampaignStatus } from '../campaigns/status';

/** A campaign over a contact list (see migration 011). Times in epoch milliseconds. */
export interface CampaignsTable {
  sid: string;
  account_sid: string;
  flow_sid: string;
  revision: number;
  from_address: string;
  /** Executions started per second. */
  rate: number;
  /** `HH:MM-HH:MM` in `time_zone`, or null. */
  quiet_hours: string | null;
  time_zone: string;
  status: CampaignStatus;
  total: number;
  created_by: string;
  date_created: number;
  date_updated: number;
}

/** `starting`: about to be started (a retry after a crash checks whether it was). */
export type CampaignContactStatus = 'pending' | 'starting' | 'started' | 'skipped' | 'failed';

/** One contact of a campaign's list, and what became of it. */
export interface CampaignContactsTable {
  campaign_sid: string;
  /** Its row in the list, from 0. */
  position: number;
  contact: string;
  data: string;
  status: CampaignContactStatus;
  reason: string | null;
  execution_sid: string | null;
  date_updated: number;
}

/** A saved contact list, or a schedule's own (see migration 012). */
export interface ContactListsTable {
  sid: string;
  account_sid: string;
  friendly_name: string;
  schedule_sid: string | null;
  total: number;
  date_created: number;
  date_updated: number;
}

export interface ContactListRowsTable {
  list_sid: string;
  position: number;
  contact: string;
  /** flow.data as JSON text. */
  data: string;
  skip: 'invalid-number' | 'duplicate' | null;
}

/** What a schedule starts at each run; when it runs is Temporal's (a Schedule of the same ID). */
export interface SchedulesTable {
  sid: string;
  account_sid: string;
  flow_sid: string;
  friendly_name: string;
  cron: string | null;
  interval_seconds: number | null;
  time_zone: string;
  catchup_window_seconds: number;
  from_address: string;
  to_address: string | null;
  /** flow.data of the single execution, as JSON text. */
  parameters: string | null;
  contact_list_sid: string | null;
  rate: number | null;
  quiet_hours: string | null;
  created_by: string;
  date_created: number;
  date_updated: number;
}

export type { ScheduleRunOutcome } from '../campaigns/status';

/** One run of a schedule: what it started, or why it did not. */
export interface ScheduleRunsTable {
  schedule_sid: string;
  run_key: string;
  scheduled_at: number;
  started_at: number;
  campaign_sid: string | null;
  execution_sid: string | null;
  outcome: ScheduleRunOutcome;
  reason: string | null;
}
