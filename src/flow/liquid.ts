import { Context, Liquid, TokenizationError, toValueSync, type Template } from 'liquidjs';
import { useStudioSemantics, type StudioSemantics } from './liquid-studio';
import { chargedOperators, chargeIterationsOf, chargeWork, type ChargedEmitter, type LiquidBudget } from './liquid-budget';

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
  /** liquidjs `parseLimit`: template source size in characters. */
  readonly parseLimit: number;
  /** Iterations of one `for` or `tablerow` loop (Studio stops loops after 15); Infinity for no cap. */
  readonly maxLoopIterations: number;
  /** Studio's semantics where liquidjs differs (see `useStudioSemantics`); absent: they apply, with no clock. */
  readonly studio?: StudioSemantics;
}

export function createLiquid(limits: LiquidLimits): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    ownPropertyOnly: true,
    timezoneOffset: 0,
    templates: {},
    parseLimit: limits.parseLimit,
    operators: chargedOperators(),
  });
  const tags = liquid.tags as Record<string, unknown>;
  for (const tag of FILE_TAGS) delete tags[tag];
  // Studio's own filter, used by real exports (`{{trigger | to_json}}`). It pays for the text it
  // builds: the value may be the whole flow context, and nothing else charges for walking objects.
  liquid.registerFilter('to_json', function (this: { context: Context }, value: unknown) {
    const text = JSON.stringify(value ?? null);
    this.context.memoryLimit.use(text.length);
    return text;
  });
  if (Number.isFinite(limits.maxLoopIterations)) {
    liquid.registerTag('for', cappedLoop(tags.for as TagClass, 'hash', limits.maxLoopIterations));
    liquid.registerTag('tablerow', cappedLoop(tags.tablerow as TagClass, 'args', limits.maxLoopIterations));
  }
  useStudioSemantics(liquid, limits.studio ?? { applies: () => true });
  chargeWork(liquid);
  return liquid;
}

/**
 * Renders parsed templates synchronously, charging `budget` (see {@link LiquidBudget}; the
 * caller begins the render) and writing into `emitter`, which stops past its size instead of
 * building the text first. Throws what liquidjs throws; `budget.breach` and the emitter's
 * `overflowed` tell a limit from a template error.
 */
export function renderWithin(liquid: Liquid, templates: Template[], scope: object, budget: LiquidBudget, emitter: ChargedEmitter): string {
  const ctx = new Context(scope, liquid.options, { sync: true }, { memoryLimit: budget.asLimiter(), liquid });
  return toValueSync(liquid.renderer.renderTemplates(templates, ctx, emitter)) as string;
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

/** A Liquid problem found by parsing: the first line of liquidjs's message and where it is. */
export interface LiquidProblem {
  readonly message: string;
  readonly position?: LiquidPosition;
}

/** What parsing one template found. Both absent: it parses. */
export interface TemplateCheck {
  /** A syntax error other than an unclosed output. */
  readonly error?: LiquidProblem;
  /**
   * An output tag opened with `{{` and never closed: no `}}` follows it anywhere in the template
   * (`{{flow.variables.id`, `{{ x }`). Studio saves and exports such flows (a real export,
   * HlsRobot/twilio-apaleo studio_flow.json, has one), so it is not a reason to refuse a flow.
   * It still cannot render: Ruby Liquid raises "Variable '{{' was not properly terminated" when
   * it parses one, in every error mode (lax, warn, strict), as liquidjs does here; the widget
   * fails when it runs (84003). The text before it is checked as a template of its own, so the
   * other syntax errors are still errors.
   */
  readonly unclosedOutput?: LiquidProblem;
}

/** Parses `template` with `liquid` and says what is wrong with it, if anything (see {@link TemplateCheck}). */
export function checkTemplate(liquid: Liquid, template: string): TemplateCheck {
  const failure = parseFailure(liquid, template);
  if (failure === undefined) return {};
  const begin = unclosedOutputAt(failure, template);
  if (begin === undefined) return { error: describeLiquidError(failure) };
  const before = parseFailure(liquid, template.slice(0, begin));
  return { unclosedOutput: describeLiquidError(failure), ...(before === undefined ? {} : { error: describeLiquidError(before) }) };
}

function parseFailure(liquid: Liquid, template: string): unknown {
  try {
    liquid.parse(template);
    return undefined;
  } catch (err) {
    return err;
  }
}

/**
 * Where the unclosed output `failure` reports begins, when it is one: liquidjs's tokenizer
 * found no `}}` after that `{{`. An output liquidjs thinks unclosed only because a quoted `}}`
 * does not count (`{{ "a }}`) is another error: Ruby Liquid closes it at that `}}`.
 */
function unclosedOutputAt(failure: unknown, template: string): number | undefined {
  if (!(failure instanceof TokenizationError) || !failure.message.startsWith('output ') || !failure.message.includes(' not closed')) return undefined;
  const begin = failure.token?.begin;
  if (typeof begin !== 'number' || !template.startsWith('{{', begin)) return undefined;
  return template.includes('}}', begin + 2) ? undefined : begin;
}

type HashLike = { render(ctx: Context): Generator<unknown, Record<string, unknown>, unknown> };

/**
 * liquidjs's `for` (its parameters in `hash`) or `tablerow` (in `args`), with every loop limited
 * to `cap` iterations, as Studio limits them: the cap joins the loop's own `limit:` parameter
 * (the smaller wins), so `offset`, `reversed`, `forloop.length` and `else` keep their meaning.
 * Its body pays for each iteration as it runs (see `chargeIterationsOf`).
 */
function cappedLoop(Base: TagClass, field: 'hash' | 'args', cap: number): TagClass {
  type LoopTag = Record<typeof field, HashLike> & { templates: object };
  return class CappedLoop extends (Base as unknown as new (...args: never[]) => LoopTag) {
    constructor(...args: never[]) {
      super(...args);
      chargeIterationsOf(this.templates);
      const own = this[field];
      this[field] = {
        *render(ctx: Context) {
          const params = yield* own.render(ctx);
          const given = Number(params.limit);
          const limit = Number.isFinite(given) ? Math.max(0, Math.min(given, cap)) : cap;
          return { ...params, limit };
        },
      };
    }
  } as unknown as TagClass;
}
