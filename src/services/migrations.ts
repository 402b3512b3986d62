import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MigrationRequest } from '../engine/migrate';
import type { FlowDefinition } from '../flow/definition';
import { mapWaitingWidget, type RevisionOf } from '../flow/revision-mapping';
import { newSid } from '../sids';
import type { FlowMigrations, MigrationRecord, MigrationTarget } from '../store/flow-migrations';
import type { FlowStore } from '../store/flow-store';
import type { MigrationOutcome } from '../store/schema';
import { allOf, intBelow, keywordIs, statusIs } from '../temporal/visibility-query';
import { migrateExecution } from '../../workflows/messages';
import { FlowRevision, FlowSid } from '../../workflows/search-attributes';
import { recordFromVisibility } from './execution-record';
import type { Logger } from '../logger';
import { DEFAULT_MIGRATION_LIMITS, type MigrationLimits } from '../limits/migrations';


/** The executions of one older revision waiting at one widget, and where they would go. */
export interface MigrationGroup {
  readonly fromRevision: number;
  /** The widget they wait at; empty while they have not yet settled into a wait. */
  readonly widget: string;
  readonly type: string | null;
  readonly mappable: boolean;
  readonly reason: string | null;
  readonly executions: readonly MigrationTarget[];
}

export interface MigrationPlan {
  readonly flowSid: string;
  readonly toRevision: number;
  readonly groups: readonly MigrationGroup[];
  /** True when more executions wait than a dry run lists (maxExecutions). */
  readonly truncated: boolean;
}

export interface MigrationChoice {
  readonly fromRevision?: number;
  readonly widget?: string;
}

const VISIBILITY_PAGE = 1_000;

/** A migration the flow cannot have: not in the account, no published revision to move to, or nothing to move. */
export class MigrationRejected extends Error {
  constructor(
    message: string,
    readonly reason: 'not-found' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'MigrationRejected';
  }
}

/**
 * Moves executions waiting in older revisions of a flow to its newest published revision. A dry
 * run groups them (from Temporal visibility) by revision and widget; a migration records what it
 * takes on, then asks each execution through the `migrateExecution` update, whose validator
 * refuses one that moved on in the meantime. Nothing is sent to a contact: the execution stays
 * at its wait and only its next transition comes from the new revision.
 */
export class MigrationService {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly client: Client,
    private readonly namespace: string,
    private readonly store: FlowStore,
    private readonly migrations: FlowMigrations,
    private readonly limits: MigrationLimits = DEFAULT_MIGRATION_LIMITS,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async plan(accountSid: string, flowSid: string): Promise<MigrationPlan> {
    const target = await this.publishedRevision(accountSid, flowSid);
    const { waiting, truncated } = await this.waitingBefore(flowSid, target.revision);
    const definitions = new Map<number, RevisionOf | undefined>();
    const groups = new Map<string, { fromRevision: number; widget: string; executions: MigrationTarget[] }>();
    for (const w of waiting) {
      const key = `${w.from_revision}\u0000${w.widget}`;
      const group = groups.get(key) ?? groups.set(key, { fromRevision: w.from_revision, widget: w.widget, executions: [] }).get(key)!;
      group.executions.push(w);
    }
    const planned: MigrationGroup[] = [];
    for (const group of groups.values()) {
      if (!definitions.has(group.fromRevision)) definitions.set(group.fromRevision, await this.revision(flowSid, group.fromRevision));
      planned.push({ ...group, ...mapGroup(definitions.get(group.fromRevision), target, group.widget) });
    }
    planned.sort((a, b) => a.fromRevision - b.fromRevision || (a.widget < b.widget ? -1 : a.widget > b.widget ? 1 : 0));
    return { flowSid, toRevision: target.revision, groups: planned, truncated };
  }

  /** Starts migrating the chosen mappable group (or all of them); it goes on in the background. */
  async start(accountSid: string, flowSid: string, choice: MigrationChoice, createdBy: string): Promise<MigrationRecord> {
    const plan = await this.plan(accountSid, flowSid);
    const chosen = plan.groups.filter((g) => g.mappable && (choice.fromRevision === undefined || g.fromRevision === choice.fromRevision) && (choice.widget === undefined || g.widget === choice.widget));
    if (chosen.length === 0) {
      const which = choice.widget !== undefined || choice.fromRevision !== undefined ? 'the chosen group' : 'this flow';
      throw new MigrationRejected(`Nothing to migrate: ${which} has no mappable executions waiting in an older revision (see GET /v2/Flows/${flowSid}/Migrations)`);
    }
    const sid = newSid('FM');
    const now = Date.now();
    await this.migrations.create(
      { sid, account_sid: accountSid, flow_sid: flowSid, to_revision: plan.toRevision, from_revision: choice.fromRevision ?? null, widget: choice.widget ?? null, created_by: createdBy, date_created: now },
      chosen.flatMap((g) => g.executions),
    );
    // Its executions are asked in the background; what stops it (the store failing) leaves the
    // rest pending, and GET shows them so.
    this.resume(accountSid, flowSid, sid).catch((err: unknown) => this.logger?.warn({ err, migration: sid }, 'a migration stopped before asking every execution'));
    return (await this.migrations.get(accountSid, flowSid, sid))!;
  }

  /** Asks every execution the migration has not settled yet; a second call while one runs joins it. */
  resume(accountSid: string, flowSid: string, sid: string): Promise<void> {
    const already = this.running.get(sid);
    if (already) return already;
    const run = this.run(accountSid, flowSid, sid).finally(() => this.running.delete(sid));
    this.running.set(sid, run);
    return run;
  }

  /** Resolves when the migration has asked every execution (tests and shutdown wait on it). */
  async settled(sid: string): Promise<void> {
    await this.running.get(sid);
  }

  private async run(accountSid: string, flowSid: string, sid: string): Promise<void> {
    const record = await this.migrations.get(accountSid, flowSid, sid);
    if (!record) return;
    const to = await this.revision(flowSid, record.to_revision);
    const pending = await this.migrations.pending(sid);
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const target = pending[next++]!;
        const { status, reason } = to ? await this.ask(sid, target, to) : { status: 'failed' as const, reason: `revision ${record.to_revision} cannot be read` };
        await this.migrations.settle(sid, target.execution_sid, status, reason, Date.now());
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.limits.concurrency, pending.length) }, worker));
    await this.migrations.complete(sid, Date.now());
  }

  private async ask(sid: string, target: MigrationTarget, to: RevisionOf): Promise<{ status: Exclude<MigrationOutcome, 'pending'>; reason: string | null }> {
    const request: MigrationRequest = { migrationSid: sid, fromRevision: target.from_revision, widget: target.widget, to };
    try {
      // The migration's SID as the update ID: a repeated ask of one execution is answered once.
      const answer = await this.client.workflow.getHandle(target.workflow_id).executeUpdate(migrateExecution, { args: [request], updateId: sid });
      return { status: answer.outcome, reason: null };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'MigrationRefused') return { status: 'refused', reason: err.cause.message };
      if (err instanceof WorkflowNotFoundError) return { status: 'refused', reason: 'Not migrated: it has ended' };
      return { status: 'failed', reason: (err as Error).message };
    }
  }

  private async publishedRevision(accountSid: string, flowSid: string): Promise<RevisionOf> {
    if (!(await this.store.get(accountSid, flowSid))) throw new MigrationRejected(`/Flows/${flowSid}`, 'not-found');
    const published = await this.store.getRevision(flowSid, 'LatestPublished');
    if (!published) throw new MigrationRejected(`Flow ${flowSid} has no published revision to migrate executions to`);
    return { revision: published.revision, definition: published.definition as FlowDefinition };
  }

  private async revision(flowSid: string, revision: number): Promise<RevisionOf | undefined> {
    const found = await this.store.getRevision(flowSid, revision);
    return found ? { revision: found.revision, definition: found.definition as FlowDefinition } : undefined;
  }

  /** Running executions of the flow on a revision before `revision`, from visibility. */
  private async waitingBefore(flowSid: string, revision: number): Promise<{ waiting: MigrationTarget[]; truncated: boolean }> {
    const query = allOf(keywordIs(FlowSid, flowSid), statusIs('Running'), intBelow(FlowRevision, revision));
    const converter = this.client.workflow.options.loadedDataConverter;
    const waiting: MigrationTarget[] = [];
    let token: Uint8Array | undefined;
    do {
      const response = await this.client.workflowService.listWorkflowExecutions({ namespace: this.namespace, pageSize: VISIBILITY_PAGE, query, ...(token ? { nextPageToken: token } : {}) });
      for (const raw of response.executions ?? []) {
        const record = await recordFromVisibility(raw, converter);
        if (record?.active) waiting.push({ execution_sid: record.sid, workflow_id: record.workflowId, from_revision: record.revision, widget: record.waitingAt ?? '' });
        if (waiting.length > this.limits.maxExecutions) return { waiting: waiting.slice(0, this.limits.maxExecutions), truncated: true };
      }
      token = response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
    } while (token);
    return { waiting, truncated: false };
  }
}

function mapGroup(from: RevisionOf | undefined, to: RevisionOf, widget: string): Pick<MigrationGroup, 'type' | 'mappable' | 'reason'> {
  if (!widget) return { type: null, mappable: false, reason: 'not waiting at a widget yet' };
  if (!from) return { type: null, mappable: false, reason: 'its revision cannot be read' };
  const type = from.definition.states.find((s) => s.name === widget)?.type ?? null;
  const mapping = mapWaitingWidget(from, to, widget);
  return mapping.mappable ? { type, mappable: true, reason: null } : { type, mappable: false, reason: mapping.reason };
}
