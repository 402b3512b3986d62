import type { Migration } from 'kysely';
import * as flows from './001-flows';
import * as deletedExecutions from './002-deleted-executions';
import * as messaging from './003-messaging';
import * as localCalls from './004-local-calls';
import * as events from './005-events';
import * as apiKeys from './006-api-keys';
import * as flowTests from './007-flow-tests';
import * as sharedLimits from './008-shared-limits';
import * as insights from './009-insights';
import * as flowMigrations from './010-flow-migrations';
import * as campaigns from './011-campaigns';
import * as schedules from './012-schedules';

/**
 * The store's migrations, in order. Names sort by their numeric prefix; applied migrations
 * never change — a schema change is a new entry.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001-flows': flows,
  '002-deleted-executions': deletedExecutions,
  '003-messaging': messaging,
  '004-local-calls': localCalls,
  '005-events': events,
  '006-api-keys': apiKeys,
  '007-flow-tests': flowTests,
  '008-shared-limits': sharedLimits,
  '009-insights': insights,
  '010-flow-migrations': flowMigrations,
  '011-campaigns': campaigns,
  '012-schedules': schedules,
};
