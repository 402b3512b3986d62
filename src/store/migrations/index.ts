import type { Migration } from 'kysely';
import * as flows from './001-flows';
import * as deletedExecutions from './002-deleted-executions';

/**
 * The store's migrations, in order. Names sort by their numeric prefix; applied migrations
 * never change — a schema change is a new entry.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001-flows': flows,
  '002-deleted-executions': deletedExecutions,
};
