import type { Kysely, Selectable } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { FlowIssue } from '../flow/issues';
import type { Database } from './database';
import type { FlowRevisionsTable, FlowsTable, StoreSchema } from './schema';

export type FlowStatus = 'draft' | 'published';

/** One saved revision of a flow. Revisions are immutable. */
export interface RevisionRecord {
  readonly flowSid: string;
  readonly revision: number;
  readonly friendlyName: string;
  readonly status: FlowStatus;
  /** The Flow JSON, parsed; `undefined` in listings. */
  readonly definition?: unknown;
  readonly commitMessage: string | null;
  readonly valid: boolean;
  readonly errors: readonly FlowIssue[];
  readonly warnings: readonly FlowIssue[];
  readonly dateCreated: string;
  /** The flow's tests (`*.flowtest.yaml` text) as of this revision; null when none; absent in listings. */
  readonly tests?: string | null;
}

/** A flow with its latest revision. */
export interface FlowRecord {
  readonly sid: string;
  readonly accountSid: string;
  readonly friendlyName: string;
  readonly status: FlowStatus;
  readonly revision: number;
  readonly publishedRevision: number | null;
  readonly testUsers: readonly string[];
  readonly dateCreated: string;
  readonly dateUpdated: string | null;
  /** The latest revision; its `definition` is absent in listings. */
  readonly latest: RevisionRecord;
}

/** What a save writes: a new revision (and the flow's summary follows it). */
export interface NewRevision {
  readonly friendlyName: string;
  readonly status: FlowStatus;
  /** The Flow JSON text, stored as given. */
  readonly definition: string;
  readonly commitMessage: string | null;
  readonly valid: boolean;
  readonly errors: readonly FlowIssue[];
  readonly warnings: readonly FlowIssue[];
  /** The flow's tests as of this revision (absent or null: none). */
  readonly tests?: string | null;
  /** ISO-8601 time of the save. */
  readonly at: string;
}

/** A position in a listing, for keyset paging: the last item of the previous page. */
export interface Cursor {
  readonly date: string;
  readonly sid: string;
}

/** A parsed revision and the length of the text it was parsed from (the cache's measure). */
interface CachedRevision {
  readonly record: RevisionRecord;
  readonly size: number;
}

export type RevisionSelector = number | 'LatestPublished' | 'LatestRevision';

/** Megabytes of revisions a store keeps parsed by default (FLOW_REVISION_CACHE_MIB). */
export const DEFAULT_REVISION_CACHE_MIB = 32;

/**
 * Flows and their revisions, on SQLite or PostgreSQL. Every save is a new numbered revision
 * written in one transaction with the flow's summary, so a revision number is never reused
 * or skipped, even under concurrent saves.
 *
 * Numbered revisions are kept parsed in memory: a row is never updated once written and a
 * flow's SID is never reused, so no entry can go stale and no process needs telling — an
 * execution start then reads only the flow's row (BENCHMARKS.md, "What the figures led to").
 */
export class FlowStore {
  private readonly db: Kysely<StoreSchema>;
  private readonly revisions: LRUCache<string, CachedRevision> | undefined;

  /** `revisionCacheMiB`: the cache's size, counted as the revisions' Flow JSON text; 0 turns it off. */
  constructor(database: Database, revisionCacheMiB = DEFAULT_REVISION_CACHE_MIB) {
    this.db = database.db;
    this.revisions =
      revisionCacheMiB > 0
        ? new LRUCache<string, CachedRevision>({ maxSize: revisionCacheMiB * 1024 * 1024, sizeCalculation: (r) => Math.max(1, r.size) })
        : undefined;
  }

  async create(sid: string, accountSid: string, first: NewRevision): Promise<FlowRecord> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('flows')
        .values({
          sid,
          account_sid: accountSid,
          friendly_name: first.friendlyName,
          status: first.status,
          revision: 1,
          published_revision: first.status === 'published' ? 1 : null,
          date_created: first.at,
          date_updated: null,
        })
        .execute();
      await trx.insertInto('flow_revisions').values(revisionRow(sid, 1, first)).execute();
    });
    return (await this.get(accountSid, sid))!;
  }

  /** Saves a new revision; `undefined` when the flow does not exist. */
  async addRevision(accountSid: string, sid: string, next: NewRevision): Promise<FlowRecord | undefined> {
    const saved = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('flows')
        .set((eb) => ({
          revision: eb('revision', '+', 1),
          friendly_name: next.friendlyName,
          status: next.status,
          date_updated: next.at,
          ...(next.status === 'published' ? { published_revision: eb('revision', '+', 1) } : {}),
        }))
        .where('sid', '=', sid)
        .where('account_sid', '=', accountSid)
        .returning('revision')
        .executeTakeFirst();
      if (!row) return false;
      await trx.insertInto('flow_revisions').values(revisionRow(sid, row.revision, next)).execute();
      return true;
    });
    return saved ? this.get(accountSid, sid) : undefined;
  }

  async get(accountSid: string, sid: string): Promise<FlowRecord | undefined> {
    const row = await this.db.selectFrom('flows').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
    if (!row) return undefined;
    const latest = await this.getRevision(sid, Number(row.revision));
    // The row and its latest revision are written in one transaction; a delete in between leaves neither.
    return latest ? flowOf(row, latest) : undefined;
  }

  /** Newest first; `limit` + 1 rows are read so the caller knows whether a next page exists. */
  async list(accountSid: string, limit: number, after?: Cursor, offset = 0): Promise<FlowRecord[]> {
    let query = this.db
      .selectFrom('flows')
      .innerJoin('flow_revisions as r', (join) => join.onRef('r.flow_sid', '=', 'flows.sid').onRef('r.revision', '=', 'flows.revision'))
      .selectAll('flows')
      .select(['r.commit_message', 'r.valid', 'r.errors', 'r.warnings', 'r.date_created as revision_date'])
      .where('flows.account_sid', '=', accountSid);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('flows.date_created', '<', after.date), eb.and([eb('flows.date_created', '=', after.date), eb('flows.sid', '<', after.sid)])]),
      );
    }
    const rows = await query.orderBy('flows.date_created', 'desc').orderBy('flows.sid', 'desc').limit(limit).offset(after ? 0 : offset).execute();
    return rows.map((row) =>
      toFlow(row, {
        flow_sid: row.sid,
        revision: row.revision,
        friendly_name: row.friendly_name,
        status: row.status,
        commit_message: row.commit_message,
        valid: row.valid,
        errors: row.errors,
        warnings: row.warnings,
        date_created: row.revision_date,
      }),
    );
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    // Revisions go with the flow (ON DELETE CASCADE).
    const result = await this.db.deleteFrom('flows').where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Newest first. `after` is the last revision number of the previous page. */
  async listRevisions(sid: string, limit: number, afterRevision?: number, offset = 0): Promise<RevisionRecord[]> {
    let query = this.db
      .selectFrom('flow_revisions')
      .select(['flow_sid', 'revision', 'friendly_name', 'status', 'commit_message', 'valid', 'errors', 'warnings', 'date_created'])
      .where('flow_sid', '=', sid);
    if (afterRevision !== undefined) query = query.where('revision', '<', afterRevision);
    const rows = await query.orderBy('revision', 'desc').limit(limit).offset(afterRevision !== undefined ? 0 : offset).execute();
    return rows.map((row) => toRevision(row));
  }

  async getRevision(sid: string, selector: RevisionSelector): Promise<RevisionRecord | undefined> {
    if (typeof selector === 'number') return this.numberedRevision(sid, selector);
    let query = this.db.selectFrom('flow_revisions').select('revision').where('flow_sid', '=', sid);
    if (selector === 'LatestPublished') query = query.where('status', '=', 'published');
    const row = await query.orderBy('revision', 'desc').limit(1).executeTakeFirst();
    return row ? this.numberedRevision(sid, Number(row.revision)) : undefined;
  }

  private async numberedRevision(sid: string, revision: number): Promise<RevisionRecord | undefined> {
    const key = `${sid}/${revision}`;
    const cached = this.revisions?.get(key);
    if (cached) return cached.record;
    const row = await this.db.selectFrom('flow_revisions').selectAll().where('flow_sid', '=', sid).where('revision', '=', revision).executeTakeFirst();
    if (!row) return undefined;
    // Frozen: every caller shares the cached object, so none may change it for the others.
    const record = deepFreeze(toRevision(row));
    this.revisions?.set(key, { record, size: row.definition.length + (row.tests?.length ?? 0) });
    return record;
  }

  /** Replaces the flow's test users; `undefined` when the flow does not exist. */
  async setTestUsers(accountSid: string, sid: string, users: readonly string[]): Promise<readonly string[] | undefined> {
    const result = await this.db
      .updateTable('flows')
      .set({ test_users: JSON.stringify(users) })
      .where('sid', '=', sid)
      .where('account_sid', '=', accountSid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? users : undefined;
  }
}

type RevisionRow = Omit<Selectable<FlowRevisionsTable>, 'definition' | 'tests'> & { definition?: string; tests?: string | null };

function revisionRow(sid: string, revision: number, r: NewRevision): Selectable<FlowRevisionsTable> {
  return {
    flow_sid: sid,
    revision,
    friendly_name: r.friendlyName,
    status: r.status,
    definition: r.definition,
    commit_message: r.commitMessage,
    valid: r.valid ? 1 : 0,
    errors: JSON.stringify(r.errors),
    warnings: JSON.stringify(r.warnings),
    date_created: r.at,
    tests: r.tests ?? null,
  };
}

function toRevision(row: RevisionRow): RevisionRecord {
  return {
    flowSid: row.flow_sid,
    revision: Number(row.revision),
    friendlyName: row.friendly_name,
    status: row.status as FlowStatus,
    ...(row.definition !== undefined ? { definition: JSON.parse(row.definition) as unknown } : {}),
    commitMessage: row.commit_message,
    valid: Number(row.valid) === 1,
    errors: JSON.parse(row.errors) as FlowIssue[],
    warnings: JSON.parse(row.warnings) as FlowIssue[],
    dateCreated: row.date_created,
    ...(row.tests !== undefined ? { tests: row.tests } : {}),
  };
}

function toFlow(row: Selectable<FlowsTable>, latest: RevisionRow): FlowRecord {
  return flowOf(row, toRevision(latest));
}

function flowOf(row: Selectable<FlowsTable>, latest: RevisionRecord): FlowRecord {
  return {
    sid: row.sid,
    accountSid: row.account_sid,
    friendlyName: row.friendly_name,
    status: row.status as FlowStatus,
    revision: Number(row.revision),
    publishedRevision: row.published_revision === null ? null : Number(row.published_revision),
    testUsers: JSON.parse(row.test_users) as string[],
    dateCreated: row.date_created,
    dateUpdated: row.date_updated,
    latest,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
