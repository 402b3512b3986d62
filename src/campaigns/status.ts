/** A campaign's lifecycle, as the store shows it and its workflow writes it. */
export type CampaignStatus = 'running' | 'paused' | 'cancelled' | 'completed';
