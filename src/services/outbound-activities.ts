import type { Database } from '../store/database';
import { Campaigns } from '../store/campaigns';
import { ExecutionTombstones } from '../store/execution-tombstones';
import type { FlowStore } from '../store/flow-store';
import { Schedules } from '../store/schedules';
import { createCampaignActivities } from './campaign-activities';
import type { ExecutionSettings } from './execution-commands';
import { createScheduleActivities } from './schedule-activities';

/**
 * The activities of outbound work — campaigns and schedules — that every worker runs beside the
 * execution's own: they start executions, so they need the store and how executions are started.
 */
export function createOutboundActivities(database: Database, store: FlowStore, settings: ExecutionSettings): object {
  const campaigns = new Campaigns(database);
  const tombstones = new ExecutionTombstones(database);
  return {
    ...createCampaignActivities({ campaigns, store, tombstones, settings }),
    ...createScheduleActivities({ schedules: new Schedules(database), campaigns, store, tombstones, settings }),
  };
}
