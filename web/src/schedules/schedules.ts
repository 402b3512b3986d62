/** The Schedules API (our extension of Studio's v2 API), as the editor reads it. */

export type ScheduleTarget = 'execution' | 'campaign';

export interface ScheduleResource {
  readonly sid: string;
  readonly account_sid: string;
  readonly flow_sid: string;
  readonly friendly_name: string;
  readonly cron: string | null;
  /** Seconds between runs (set when `cron` is not). */
  readonly interval: number | null;
  readonly time_zone: string;
  /** Seconds: how late a run missed during an outage may still be made up. */
  readonly catchup_window: number;
  readonly target: ScheduleTarget;
  readonly from: string;
  readonly to: string | null;
  /** flow.data of the single execution. */
  readonly parameters: Record<string, unknown> | null;
  readonly contact_list_sid: string | null;
  readonly contacts_total: number | null;
  readonly rate: number | null;
  readonly quiet_hours: string | null;
  readonly status: 'active' | 'paused';
  /** ISO times, up to five. */
  readonly next_runs: readonly string[];
  readonly runs_missed: number;
  readonly date_created: string;
  readonly date_updated: string;
  readonly url: string;
  readonly links: { readonly runs: string };
}

export interface ScheduleRun {
  readonly scheduled_at: string;
  readonly started_at: string;
  readonly target: ScheduleTarget;
  readonly campaign_sid: string | null;
  readonly execution_sid: string | null;
  /** `starting`: not in the brief's contract, but the API sends it for a run whose start is still under way. */
  readonly outcome: 'starting' | 'started' | 'skipped' | 'failed';
  readonly reason: string | null;
}

export const schedulesPath = (flowSid: string) => `/v2/Flows/${flowSid}/Schedules`;
export const schedulePath = (flowSid: string, sid: string) => `${schedulesPath(flowSid)}/${sid}`;
export const runsPath = (flowSid: string, sid: string) => `${schedulePath(flowSid, sid)}/Runs`;

/** "every 60 min", or the cron expression with the zone it is read in (an interval has none). */
export function describeWhen(s: Pick<ScheduleResource, 'cron' | 'interval' | 'time_zone'>): string {
  if (s.cron) return `cron ${s.cron} (${s.time_zone})`;
  const seconds = s.interval ?? 0;
  if (seconds > 0 && seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds > 0 && seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

/** What each run starts: one execution to a contact, or a campaign over a list. */
export function describeTarget(s: Pick<ScheduleResource, 'target' | 'to' | 'contacts_total' | 'rate' | 'quiet_hours' | 'time_zone'>): string {
  if (s.target === 'execution') return `one execution to ${s.to ?? '?'}`;
  const quiet = s.quiet_hours ? `, quiet ${s.quiet_hours} ${s.time_zone}` : '';
  return `campaign over ${s.contacts_total ?? '?'} contacts at ${s.rate ?? '?'}/s${quiet}`;
}

/** The create form as the user filled it in (strings, as typed). */
export interface ScheduleDraft {
  readonly name: string;
  readonly when: 'interval' | 'cron';
  readonly minutes: string;
  readonly cron: string;
  readonly timeZone: string;
  readonly from: string;
  readonly target: ScheduleTarget;
  readonly to: string;
  readonly parameters: string;
  readonly csv: string | undefined;
  readonly contactList: string;
  readonly rate: string;
  readonly quietHours: string;
}

export type ScheduleForm = Record<string, string>;

/**
 * The draft as the POST's form parameters, or why it cannot be sent yet. Only what the browser
 * can tell at once is checked here (a blank field, JSON that does not parse); the rest — the cron
 * expression, the zone, the numbers, the CSV — is the server's to judge, so both say the same.
 */
export function scheduleForm(d: ScheduleDraft): ScheduleForm | string {
  if (!d.from.trim()) return 'From is required';
  const when = d.when === 'cron' ? cronParams(d) : intervalParams(d);
  if (typeof when === 'string') return when;
  const target = d.target === 'execution' ? executionParams(d) : campaignParams(d);
  if (typeof target === 'string') return target;
  const name: ScheduleForm = d.name.trim() ? { FriendlyName: d.name.trim() } : {};
  return { ...name, ...when, TimeZone: d.timeZone.trim() || 'UTC', From: d.from.trim(), ...target };
}

function cronParams(d: ScheduleDraft): ScheduleForm | string {
  return d.cron.trim() ? { Cron: d.cron.trim() } : 'A cron expression is required';
}

function intervalParams(d: ScheduleDraft): ScheduleForm | string {
  const minutes = Number(d.minutes);
  // The API counts seconds; the form counts minutes, which is how people think of a repeat.
  return d.minutes.trim() && Number.isFinite(minutes) && minutes > 0 ? { Interval: String(Math.round(minutes * 60)) } : 'The interval must be a number of minutes above 0';
}

function executionParams(d: ScheduleDraft): ScheduleForm | string {
  if (!d.to.trim()) return 'To is required';
  if (!d.parameters.trim()) return { To: d.to.trim() };
  try {
    const data: unknown = JSON.parse(d.parameters);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'flow.data must be a JSON object';
  } catch (err) {
    return `flow.data is not JSON (${(err as Error).message})`;
  }
  return { To: d.to.trim(), Parameters: d.parameters.trim() };
}

function campaignParams(d: ScheduleDraft): ScheduleForm | string {
  const list: ScheduleForm | undefined = d.csv !== undefined ? { Csv: d.csv } : d.contactList.trim() ? { ContactList: d.contactList.trim() } : undefined;
  if (!list) return 'Upload a CSV or give a saved list';
  if (!d.rate.trim()) return 'A campaign needs a rate';
  return { ...list, Rate: d.rate.trim(), ...(d.quietHours.trim() ? { QuietHours: d.quietHours.trim() } : {}) };
}
