import { Liquid } from 'liquidjs';

type TagClass = Liquid['tags'][string];

/**
 * Studio's Liquid dialect as this engine runs it. Validation parses templates with it and the
 * engine renders with it, so a template that validates is one the engine can run.
 *
 * Tags that read other templates (`include`, `render`, `layout`, `block`) are not tags here:
 * flows are self-contained and rendering never touches a file system (there is none in the
 * workflow sandbox), so such a template fails to parse with a clear message.
 */
const FILE_TAGS = ['include', 'render', 'layout', 'block'];

export interface LiquidLimits {
  /** liquidjs `memoryLimit`: a counter, so it stays deterministic inside a workflow. */
  readonly memoryLimit: number;
  /** liquidjs `parseLimit`: template source size in characters. */
  readonly parseLimit: number;
  /** Iterations of one `for` loop (Studio stops loops after 15); Infinity for no cap. */
  readonly maxLoopIterations: number;
}

export function createLiquid(limits: LiquidLimits): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    ownPropertyOnly: true,
    timezoneOffset: 0,
    templates: {},
    memoryLimit: limits.memoryLimit,
    parseLimit: limits.parseLimit,
  });
  const tags = liquid.tags as Record<string, unknown>;
  for (const tag of FILE_TAGS) delete tags[tag];
  // Studio's own filter, used by real exports (`{{trigger | to_json}}`).
  liquid.registerFilter('to_json', (value: unknown) => JSON.stringify(value ?? null));
  if (Number.isFinite(limits.maxLoopIterations)) liquid.registerTag('for', cappedFor(tags.for as TagClass, limits.maxLoopIterations));
  return liquid;
}

/** Where a Liquid problem is, when liquidjs knows: 1-based line and column. */
export interface LiquidPosition {
  readonly line: number;
  readonly column: number;
}

/** The first line of a liquidjs error message, without its trailing position, plus the position. */
export function describeLiquidError(err: unknown): { message: string; position?: LiquidPosition } {
  const raw = err instanceof Error ? err.message : String(err);
  const first = raw.split('\n')[0] ?? raw;
  const match = /,? line:(\d+), col:(\d+)/.exec(first);
  if (!match) return { message: first };
  return { message: first.replace(match[0], ''), position: { line: Number(match[1]), column: Number(match[2]) } };
}

type HashLike = { render(ctx: unknown): Generator<unknown, Record<string, unknown>, unknown> };

/**
 * liquidjs's `for`, with every loop limited to `cap` iterations, as Studio limits them: the cap
 * joins the loop's own `limit:` parameter (the smaller wins), so `offset`, `reversed`,
 * `forloop.length` and `else` keep their meaning.
 */
function cappedFor(Base: TagClass, cap: number): TagClass {
  return class CappedFor extends (Base as unknown as new (...args: never[]) => { hash: HashLike }) {
    constructor(...args: never[]) {
      super(...args);
      const own = this.hash;
      this.hash = {
        *render(ctx: unknown) {
          const hash = yield* own.render(ctx);
          const given = Number(hash.limit);
          return { ...hash, limit: Number.isFinite(given) ? Math.min(given, cap) : cap };
        },
      };
    }
  } as unknown as TagClass;
}
