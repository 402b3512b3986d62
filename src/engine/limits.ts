/**
 * Studio's limits, as named and configurable engine options. A breach ends the widget or the
 * execution with a clear reason — it never throws out of the workflow (that would retry forever).
 */
export interface EngineLimits {
  /** Steps per execution; Studio ends the execution after 1,000 (warning 81000/84000). */
  readonly maxSteps: number;
  /** The same widget run this many times in a row ends the execution (warning 81001). */
  readonly maxSameWidgetInARow: number;
  /** Rendered Liquid output per template, in characters. */
  readonly maxRenderedChars: number;
  /** Iterations of one Liquid `for` loop; Studio stops loops after 15. */
  readonly maxLiquidLoopIterations: number;
  /**
   * Liquid work per template render, in units of about 10 ns (a character or an array element
   * allocated, a template node, a filter call: `LIQUID_COSTS` in src/flow/liquid-budget.ts).
   * A count, not a clock: a render stops at the same point on every machine and in every replay.
   */
  readonly liquidWorkPerTemplate: number;
  /**
   * Liquid work of all templates rendered between two waits of an execution (one workflow task),
   * in the same units: many templates, each within its own limit, must not together hold a
   * workflow activation near the worker's 5 s isolate timeout (which would retry it forever).
   */
  readonly liquidWorkBetweenWaits: number;
  /**
   * liquidjs `parseLimit`: characters of one template source. Parsing costs more than linear
   * time in the length (1 ms for 600 characters, 3 s for 400,000), so Studio-sized templates only.
   */
  readonly liquidParseLimit: number;
  /** Make HTTP Request / Run Function: the whole call, redirects included. */
  readonly httpTimeoutMs: number;
  /** Make HTTP Request / Run Function: response body bytes. */
  readonly httpMaxResponseBytes: number;
  /** Redirects an HTTP call may follow. */
  readonly httpMaxRedirects: number;
  /** How deep subflows may nest; Studio lets a flow run a subflow but not a subflow a subflow (81024). */
  readonly maxSubflowDepth: number;
  /**
   * How deep arrays and objects may nest in a JSON value that enters an execution from outside:
   * HTTP and function responses, "parse as JSON" values, `Parameters`, webhook JSON fields, and
   * flow definitions. Deeper text is refused before it is parsed (see `jsonTextTooDeep`).
   */
  readonly maxJsonDepth: number;
  /**
   * UTF-8 bytes of what an execution keeps: its context and its steps' changes. The state is one
   * Temporal payload (result, continue-as-new input with the definition, Context query answer),
   * which Temporal refuses over its blob limit (2 MiB by default); past this limit the oldest
   * steps stop keeping their own contexts, and a context that alone is over it ends the
   * execution (see state-budget.ts).
   */
  readonly maxExecutionStateBytes: number;
}

export const DEFAULT_LIMITS: EngineLimits = Object.freeze({
  maxSteps: 1000,
  maxSameWidgetInARow: 10,
  maxRenderedChars: 16 * 1024,
  maxLiquidLoopIterations: 15,
  liquidWorkPerTemplate: 5_000_000,
  liquidWorkBetweenWaits: 10_000_000,
  liquidParseLimit: 32 * 1024,
  httpTimeoutMs: 10_000,
  httpMaxResponseBytes: 64 * 1024,
  httpMaxRedirects: 5,
  maxSubflowDepth: 1,
  maxJsonDepth: 64,
  maxExecutionStateBytes: 1024 * 1024,
});

/**
 * Limits added after executions began pinning theirs: an execution whose pinned limits lack one
 * keeps behaving as it did before it existed, so a replay of its history takes the same paths.
 */
const LEGACY_UNBOUNDED: Partial<EngineLimits> = Object.freeze({ maxJsonDepth: Number.MAX_SAFE_INTEGER, maxExecutionStateBytes: Number.MAX_SAFE_INTEGER });

/** Fills in defaults for the limits a caller did not set. */
export function resolveLimits(overrides: Partial<EngineLimits> = {}): EngineLimits {
  return Object.freeze({ ...DEFAULT_LIMITS, ...overrides });
}

/** The limits pinned in an execution's input: defaults for what it does not name, except the LEGACY_UNBOUNDED ones. */
export function resolvePinnedLimits(pinned: Partial<EngineLimits> | undefined): EngineLimits {
  if (pinned === undefined) return resolveLimits();
  const legacy = Object.fromEntries(Object.entries(LEGACY_UNBOUNDED).filter(([key]) => !(key in pinned)));
  return resolveLimits({ ...legacy, ...pinned });
}
