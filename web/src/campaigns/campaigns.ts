/** The Campaigns API (our extension of Studio's v2 API), as the editor reads it. */

export type CampaignStatus = 'running' | 'paused' | 'cancelled' | 'completed';

export interface CampaignResource {
  readonly sid: string;
  readonly status: CampaignStatus;
  readonly total: number;
  readonly rate: number;
  readonly from: string;
  readonly quiet_hours: string | null;
  readonly time_zone: string;
  readonly counts: Readonly<Record<'pending' | 'starting' | 'started' | 'skipped' | 'failed', number>>;
  readonly executions_ended: number;
  readonly date_created: string;
}

export interface CampaignPreview {
  readonly total: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly contacts: ReadonlyArray<{ readonly to: string; readonly data: Record<string, unknown>; readonly skip: string | null }>;
}

export const campaignsPath = (flowSid: string) => `/v2/Flows/${flowSid}/Campaigns`;

/** Contacts the campaign is done with (started, skipped or failed), of its total. */
export function settled(c: Pick<CampaignResource, 'total' | 'counts'>): number {
  return c.total - c.counts.pending - c.counts.starting;
}

/** Whether the campaign may still start contacts (and so be paused, resumed or cancelled). */
export const isLive = (c: Pick<CampaignResource, 'status'>) => c.status === 'running' || c.status === 'paused';
