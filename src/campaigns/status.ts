/** A campaign's lifecycle, as the store shows it and its workflow writes it. */
export type CampaignStatus = 'running' | 'paused' | 'cancelled' | 'completed';

/** What one run of a schedule did; `starting`: recorded before it starts anything (a retried run checks what it started). */
export type ScheduleRunOutcome = 'starting' | 'started' | 'skipped' | 'failed';
