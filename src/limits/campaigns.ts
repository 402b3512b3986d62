/** Campaigns over contact lists: named limits, set by `LIMIT_CAMPAIGN_*` variables. */
export interface CampaignLimits {
  /** Contacts in one campaign's list. */
  readonly maxContacts: number;
  /** `Rate`: executions one campaign starts per second (its own pace, apart from the REST API's per-account rate). */
  readonly maxRate: number;
  /** Bytes of the request that creates a campaign (its list as JSON or CSV). */
  readonly maxBodyBytes: number;
}

export const DEFAULT_CAMPAIGN_LIMITS: CampaignLimits = Object.freeze({
  maxContacts: 100_000,
  maxRate: 100,
  maxBodyBytes: 32 * 1024 * 1024,
});
