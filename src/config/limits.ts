import { DEFAULT_LIMITS, type EngineLimits } from '../engine/limits';
import { DEFAULT_FLOW_LIMITS, type FlowLimits } from '../flow/limits';
import { DEFAULT_EXECUTION_LIMITS, type ExecutionLimits } from '../limits/execution';
import { DEFAULT_VOICE_LIMITS, type VoiceLimits } from '../limits/voice';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from '../limits/sinks';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../limits/http';
import { DEFAULT_FLOWTEST_LIMITS, type FlowTestLimits } from '../limits/flowtests';
import { DEFAULT_MIGRATION_LIMITS, type MigrationLimits } from '../limits/migrations';
import { DEFAULT_CAMPAIGN_LIMITS, type CampaignLimits } from '../limits/campaigns';
import { DEFAULT_SCHEDULE_LIMITS, type ScheduleLimits } from '../limits/schedules';

/**
 * Every limit, named once in its own module with Studio's default, and set here from the
 * environment as `LIMIT_<NAME>` (`maxSteps` → `LIMIT_MAX_STEPS`, voice ones `LIMIT_VOICE_…`).
 * Deriving the variables from the defaults keeps the two from drifting apart.
 */
export interface Limits {
  readonly engine: EngineLimits;
  readonly flow: FlowLimits;
  readonly execution: ExecutionLimits;
  readonly voice: VoiceLimits;
  readonly sinks: SinkLimits;
  readonly http: HttpLimits;
  readonly flowtests: FlowTestLimits;
  readonly migrations: MigrationLimits;
  readonly campaigns: CampaignLimits;
  readonly schedules: ScheduleLimits;
}

export const DEFAULT_ALL_LIMITS: Limits = Object.freeze({
  engine: DEFAULT_LIMITS,
  flow: DEFAULT_FLOW_LIMITS,
  execution: DEFAULT_EXECUTION_LIMITS,
  voice: DEFAULT_VOICE_LIMITS,
  sinks: DEFAULT_SINK_LIMITS,
  http: DEFAULT_HTTP_LIMITS,
  flowtests: DEFAULT_FLOWTEST_LIMITS,
  migrations: DEFAULT_MIGRATION_LIMITS,
  campaigns: DEFAULT_CAMPAIGN_LIMITS,
  schedules: DEFAULT_SCHEDULE_LIMITS,
});

const PREFIX: Record<keyof Limits, string> = { engine: 'LIMIT_', flow: 'LIMIT_', execution: 'LIMIT_', voice: 'LIMIT_VOICE_', sinks: 'LIMIT_SINK_', http: 'LIMIT_', flowtests: 'LIMIT_FLOWTEST_', migrations: 'LIMIT_MIGRATION_', campaigns: 'LIMIT_CAMPAIGN_', schedules: 'LIMIT_SCHEDULE_' };

/** Limits where 0 means "none of these" rather than "nothing works". */
const ZERO_ALLOWED = new Set(['maxSubflowDepth', 'httpMaxRedirects', 'maxTestUsers', 'maxPolls']);

/**
 * Limits with a ceiling. JSON nested a few thousand levels deep overflows the stack of whatever
 * serializes it (Temporal's payload converter, `res.json`), so the depth limit stays far below.
 */
const MAXIMA: Readonly<Record<string, number>> = { maxJsonDepth: 1000 };

export function limitVariable(group: keyof Limits, key: string): string {
  return PREFIX[group] + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** Every `LIMIT_*` variable with its default, for docs and tests. */
export function limitVariables(): { variable: string; group: keyof Limits; key: string; default: number }[] {
  return groups().flatMap((group) =>
    Object.entries(DEFAULT_ALL_LIMITS[group]).map(([key, value]) => ({ variable: limitVariable(group, key), group, key, default: value as number })),
  );
}

/** Reads the limits from the environment; each problem names its variable. */
export function parseLimits(env: NodeJS.ProcessEnv): { limits: Limits; problems: string[] } {
  const problems: string[] = [];
  const read = <T extends object>(group: keyof Limits, defaults: T): T => {
    const values: Record<string, number> = { ...(defaults as Record<string, number>) };
    for (const key of Object.keys(defaults)) {
      const variable = limitVariable(group, key);
      const given = env[variable]?.trim();
      if (given === undefined || given === '') continue;
      const min = ZERO_ALLOWED.has(key) ? 0 : 1;
      const max = MAXIMA[key] ?? Number.MAX_SAFE_INTEGER;
      const value = /^\d+$/.test(given) ? Number(given) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        problems.push(`${variable}: expected a whole number ≥ ${min}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''} (got ${JSON.stringify(given)})`);
      }
      else values[key] = value;
    }
    return Object.freeze(values) as T;
  };
  const known = new Set(limitVariables().map((v) => v.variable));
  for (const variable of Object.keys(env).filter((name) => name.startsWith('LIMIT_') && !known.has(name)).sort()) {
    problems.push(`${variable}: not a known limit (the limits are listed in the README's configuration section)`);
  }
  const limits: Limits = {
    engine: read('engine', DEFAULT_LIMITS),
    flow: read('flow', DEFAULT_FLOW_LIMITS),
    execution: read('execution', DEFAULT_EXECUTION_LIMITS),
    voice: read('voice', DEFAULT_VOICE_LIMITS),
    sinks: read('sinks', DEFAULT_SINK_LIMITS),
    http: read('http', DEFAULT_HTTP_LIMITS),
    flowtests: read('flowtests', DEFAULT_FLOWTEST_LIMITS),
    migrations: read('migrations', DEFAULT_MIGRATION_LIMITS),
    campaigns: read('campaigns', DEFAULT_CAMPAIGN_LIMITS),
    schedules: read('schedules', DEFAULT_SCHEDULE_LIMITS),
  };
  return { limits: Object.freeze(limits), problems };
}

/** The limits set away from their defaults, as `VARIABLE=value`, for the start banner. */
export function changedLimits(limits: Limits): string[] {
  return limitVariables()
    .map((v) => ({ ...v, value: (limits[v.group] as unknown as Record<string, number>)[v.key] }))
    .filter((v) => v.value !== v.default)
    .map((v) => `${v.variable}=${v.value}`);
}

function groups(): (keyof Limits)[] {
  return Object.keys(DEFAULT_ALL_LIMITS) as (keyof Limits)[];
}
