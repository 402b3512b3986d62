import { Liquid } from 'liquidjs';

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
