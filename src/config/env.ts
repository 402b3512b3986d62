import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { parseLimits, type Limits } from './limits';
import { DEFAULT_REVISION_CACHE_MIB } from '../store/flow-store';

/**
 * The runtime contract's environment (DESIGN.md §2), parsed once at start. Every variable is
 * optional; the defaults make a working local install. A bad value stops the start with a
 * message naming the variable, never a half-configured process.
 */

const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535');

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .transform((u) => u.replace(/\/+$/, ''));

const hostPort = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'expected host:port, e.g. localhost:7233');

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  // On SIGTERM the API stops taking connections, answers /health 503, and gives requests in flight this long.
  SHUTDOWN_DRAIN_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected at least 0 ms')
    .max(300_000, 'expected at most 300000 ms')
    .default(10_000),
  // A Twilio retry of an inbound message another request is still delivering waits this long for
  // it, then answers 503; a claim older than the lease (its process died) is taken over.
  INBOUND_CLAIM_WAIT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected at least 0 ms')
    .max(14_000, 'expected at most 14000 ms (Twilio gives a webhook 15 s)')
    .default(5_000),
  INBOUND_CLAIM_LEASE_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(1_000, 'expected at least 1000 ms')
    .max(3_600_000, 'expected at most 3600000 ms')
    .default(30_000),
  PUBLIC_URL: httpUrl.optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'expected a Temporal namespace name')
    .default('default'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  // The embedded Temporal UI shows every contact's executions and has no sign-in, so it stays on
  // loopback even when HOST opens the API to the network (containers set HOST=0.0.0.0).
  TEMPORAL_UI_HOST: z
    .string()
    .trim()
    .refine((v) => net.isIP(v) !== 0, 'expected an IP address to bind, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  TEMPORAL_CLI_PATH: z.string().trim().min(1).optional(),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).max(255).default('flow-engine'),
  // The longest a request waits on Temporal before answering 503 (Twilio gives a webhook 15 s).
  TEMPORAL_CALL_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(100, 'expected at least 100 ms')
    .max(60_000, 'expected at most 60000 ms')
    .default(5_000),
  TWILIO_ACCOUNT_SID: z
    .string()
    .trim()
    .regex(/^AC[0-9a-f]{32}$/, 'expected AC followed by 32 lowercase hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().trim().min(16, 'expected at least 16 characters').optional(),
  TWILIO_API_BASE_URL: httpUrl.default('https://api.twilio.com'),
  CHANNEL_PROVIDER: z.enum(['local', 'twilio'], { error: 'expected local or twilio' }).default('local'),
  WEBHOOK_VALIDATION: booleanFlag.default(true),
  EXECUTION_RETENTION_DAYS: z.coerce
    .number({ error: 'expected a number of days' })
    .int('expected a whole number of days')
    .min(1, 'expected at least 1 day')
    .max(3650, 'expected at most 3650 days')
    .default(30),
  // How long flow insights (path analytics) keep what executions did; longer than executions
  // live, so that trends outlast them.
  INSIGHTS_RETENTION_DAYS: z.coerce
    .number({ error: 'expected a number of days' })
    .int('expected a whole number of days')
    .min(1, 'expected at least 1 day')
    .max(3650, 'expected at most 3650 days')
    .default(400),
  HTTP_BLOCK_PRIVATE: booleanFlag.default(false),
  // Executions a worker keeps in memory between their tasks; the others are replayed from history
  // when they wake. Bounds the worker's memory however many executions are parked (BENCHMARKS.md).
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'expected a number of executions' })
    .int('expected a whole number')
    .min(2, 'expected at least 2')
    .max(100_000, 'expected at most 100000')
    .default(250),
  // Whether workflow threads keep a stack trace of every promise for Temporal's stack-trace query
  // (the Temporal UI's Stack Trace tab): about a third of the CPU of replaying an execution
  // (src/temporal/workflow-threads.ts, BENCHMARKS.md).
  WORKER_STACK_TRACES: booleanFlag.default(false),
  // Flow revisions each process keeps parsed in memory, in MiB of their Flow JSON text; 0 reads
  // every start's revision from the store. Revisions never change, so the cache never goes stale.
  FLOW_REVISION_CACHE_MIB: z.coerce
    .number({ error: 'expected a number of MiB' })
    .int('expected a whole number')
    .min(0, 'expected at least 0')
    .max(4096, 'expected at most 4096')
    .default(DEFAULT_REVISION_CACHE_MIB),
  // How far V8 lets the worker's heaps grow past what they hold live before it collects (its
  // growing factor, 1 + this / 100); 0 leaves V8's own, which lets them reach several times
  // that. Collecting sooner keeps the worker small with many executions waiting (BENCHMARKS.md).
  WORKER_HEAP_GROWING_PERCENT: z.coerce
    .number({ error: 'expected a percentage' })
    .int('expected a whole number')
    .min(0, 'expected at least 0')
    .max(300, 'expected at most 300')
    .default(20),
  // The worker role's own `/metrics` listener; the API roles serve `/metrics` on PORT.
  METRICS_PORT: port.optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** The parsed configuration, with derived values resolved. */
export interface Config extends Readonly<Env> {
  /** `PUBLIC_URL`, or `http://localhost:$PORT`. No trailing slash. */
  readonly publicUrl: string;
  /** `DATA_DIR` made absolute. */
  readonly dataDir: string;
  /** True when no `TEMPORAL_ADDRESS` is set: `npm start` runs its own dev server. */
  readonly embeddedTemporal: boolean;
  /** Where the workers and clients connect. */
  readonly temporalAddress: string;
  /** Every named limit, from `LIMIT_*` variables over Studio's defaults. */
  readonly limits: Limits;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Empty strings count as unset, as shells and compose files
 * often export `VAR=` for "no value".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value;
  }
  const parsed = envSchema.safeParse(raw);
  const { limits, problems } = parseLimits(env);
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError([
      ...(parsed.error?.issues ?? []).map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const given = raw[name];
        return `${name}: ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
      }),
      ...problems,
    ]);
  }
  const e = parsed.data;
  if ((e.TWILIO_ACCOUNT_SID === undefined) !== (e.TWILIO_AUTH_TOKEN === undefined)) {
    throw new ConfigError([
      'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: set both or neither (neither generates a local account in DATA_DIR)',
    ]);
  }
  if (e.TEMPORAL_ADDRESS === undefined && e.TEMPORAL_PORT === e.TEMPORAL_UI_PORT) {
    throw new ConfigError([`TEMPORAL_UI_PORT: must differ from TEMPORAL_PORT (both ${e.TEMPORAL_PORT})`]);
  }
  return Object.freeze({
    ...e,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    embeddedTemporal: e.TEMPORAL_ADDRESS === undefined,
    temporalAddress: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
    limits,
  });
}

/** The variables the contract knows, for docs and tests. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
