import { defaultOperators, Drop, type Context, type Emitter, type FilterImplOptions, type Liquid, type Operators } from 'liquidjs';

/** liquidjs's limiter type (its class is not exported; the budget stands in for it). */
type Limiter = Context['memoryLimit'];

/** Which of the budget's limits a render ran into. */
export type BudgetBreach = 'render' | 'between-waits';

/**
 * What Liquid work costs, in budget units (about 10 ns of work on a 2020s server core each).
 * liquidjs itself charges one unit per character or array element it allocates in filters,
 * ranges and joins; the rest is charged here so that every way of spending time costs units:
 * each character of a template parsed (by the engine's renderer, on a parse-cache miss),
 * each template node rendered (a tag, an output, a run of text — a loop body's nodes on every
 * iteration), each loop iteration, each filter call and the array elements it walks, each
 * operator and the text or elements it compares, and each character written out.
 * Calibrated with `npm run bench -- --only=liquid`: its hostile templates (bench/scenarios/
 * liquid-work.ts) spend at most ~65 ns per unit on the machine of BENCHMARKS.md.
 */
export const LIQUID_COSTS = Object.freeze({
  parseChar: 100,
  node: 100,
  loopIteration: 50,
  filterCall: 20,
  textChar: 1,
  arrayElement: 100,
  operator: 50,
});

/**
 * Filters that do far more per element or character than walk it: the `*_exp` ones evaluate an
 * expression for each element, `sample` shuffles with a random comparator (text as characters),
 * the URL and date ones encode or scan text slowly.
 */
const ELEMENT_COST_BY_FILTER: Readonly<Record<string, number>> = Object.freeze({
  where_exp: 500,
  reject_exp: 500,
  find_exp: 500,
  find_index_exp: 500,
  has_exp: 500,
  group_by_exp: 500,
  sample: 100,
  url_encode: 5,
  url_decode: 5,
  cgi_escape: 5,
  uri_escape: 5,
  slugify: 5,
  number_of_words: 2,
  date_to_rfc822: 2,
  date_to_string: 2,
  date_to_long_string: 2,
  date_to_xmlschema: 2,
});

/**
 * Filters whose work does not grow with their input: they read a length or one element, or
 * hand the value on. They pay for the call only, however long the text or array they get.
 */
const CONSTANT_TIME_FILTERS: ReadonlySet<string> = new Set(['first', 'last', 'size', 'default', 'raw']);

/**
 * Filters whose own liquidjs charge follows an argument rather than the work: `slice` charges
 * the length it is asked for, though it copies at most its input. Their charge is capped at the
 * size of their input, so `slice: 0, 999999999` costs what it copies.
 */
const CHARGE_CAPPED_AT_INPUT: ReadonlySet<string> = new Set(['slice']);

/** Loop bodies (a `for` or `tablerow` tag's nodes): each render of one is an iteration. */
const LOOP_BODIES = new WeakSet<object>();

/**
 * Marks `templates` as a loop body: every time it renders, it pays one loop iteration on top
 * of its nodes. Charged as the iterations run, so a loop over three items costs three however
 * high the loop cap is, and one with an empty body still pays for every turn.
 */
export function chargeIterationsOf(templates: object): void {
  LOOP_BODIES.add(templates);
}

/**
 * The work a template may do, in {@link LIQUID_COSTS} units.
 *
 * It counts and never reads a clock: a render stops at the same point on every machine and in
 * every workflow replay. Two limits apply: one per render, and one for all renders of an
 * execution between two of its waits — the work one workflow task does.
 */
export class LiquidBudget {
  private inRender = 0;
  private sinceWait = 0;
  /** Set when a limit stopped a render; cleared by the next render. */
  breach?: BudgetBreach;

  constructor(
    readonly perRender: number,
    readonly betweenWaits: number,
  ) {}

  beginRender(): void {
    this.inRender = 0;
    this.breach = undefined;
  }

  /** The execution waited (a new workflow task): the between-waits count starts again. */
  waited(): void {
    this.sinceWait = 0;
  }

  /** liquidjs's `Limiter.use`: counts are coerced, and only positive ones count. */
  use(count: number): void {
    const n = +count;
    if (!(n > 0)) return;
    this.inRender += n;
    this.sinceWait += n;
    if (this.inRender > this.perRender) this.stop('render');
    if (this.sinceWait > this.betweenWaits) this.stop('between-waits');
  }

  /** liquidjs's `Limiter.check` (a single charge that must fit). */
  check(count: number): void {
    if (+count > this.perRender) this.stop('render');
  }

  asLimiter(): Limiter {
    return this as unknown as Limiter;
  }

  private stop(breach: BudgetBreach): never {
    this.breach = breach;
    throw new Error(breach === 'render' ? `memory alloc limit exceeded (${this.perRender} per template)` : `work limit exceeded (${this.betweenWaits} between waits)`);
  }
}

/** liquidjs's `stringify`, which its emitters apply to what tags write. */
function stringifyOutput(value: unknown): string {
  const v = value instanceof Drop && typeof value.valueOf === 'function' ? value.valueOf() : value;
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringifyOutput).join('');
  // As liquidjs writes it: an object shows as `[object Object]`.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(v);
}

/** An emitter that charges the budget for what it writes and stops past `maxChars`. */
export class ChargedEmitter implements Emitter {
  buffer = '';
  overflowed = false;

  constructor(
    private readonly budget: Limiter,
    private readonly maxChars = Infinity,
  ) {}

  write(html: unknown): void {
    const text = stringifyOutput(html);
    this.budget.use(text.length);
    if (this.buffer.length + text.length > this.maxChars) {
      this.overflowed = true;
      throw new Error(`rendered text over ${this.maxChars} characters`);
    }
    this.buffer += text;
  }
}

/** Charges the work liquidjs does not charge itself (see {@link LIQUID_COSTS}). */
export function chargeWork(liquid: Liquid): void {
  chargeNodesAndOutput(liquid);
  chargeFilters(liquid);
}

/** Operators that charge their own call and what they compare; for the `operators` option. */
export function chargedOperators(): Operators {
  const operators: Operators = {};
  for (const [name, operator] of Object.entries(defaultOperators)) {
    // `not` is the one unary operator: its second argument is the context.
    if (name === 'not') operators[name] = operator;
    else {
      const binary = operator as (lhs: unknown, rhs: unknown, ctx: Context) => ReturnType<Operators[string]>;
      operators[name] = (lhs: unknown, rhs: unknown, ctx: Context) => {
        ctx.memoryLimit.use(LIQUID_COSTS.operator + sizeOf(lhs) + sizeOf(rhs));
        return binary(lhs, rhs, ctx);
      };
    }
  }
  return operators;
}

/** Text compares per character, arrays per element. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length * LIQUID_COSTS.arrayElement;
  return 0;
}

/**
 * Every render of a list of nodes (a template, a branch, a loop body on each iteration) pays
 * for its nodes; text written by tags into their own buffer (`capture`, the top level when no
 * emitter is given) is charged like any other output.
 */
function chargeNodesAndOutput(liquid: Liquid): void {
  const renderer = liquid.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = (templates, ctx, emitter) => {
    ctx.memoryLimit.use(templates.length * LIQUID_COSTS.node + (LOOP_BODIES.has(templates) ? LIQUID_COSTS.loopIteration : 0));
    return renderTemplates(templates, ctx, emitter ?? new ChargedEmitter(ctx.memoryLimit));
  };
}

/** What a filter is charged for walking its input: text per character, arrays per element. */
function inputCost(value: unknown, perElement: number | undefined): number {
  if (typeof value === 'string') return value.length * (perElement ?? LIQUID_COSTS.textChar);
  if (Array.isArray(value)) return value.length * (perElement ?? LIQUID_COSTS.arrayElement);
  return 0;
}

/** How much a filter that copies part of its input can copy: its elements or characters. */
function inputSize(value: unknown): number {
  return Array.isArray(value) ? value.length : stringifyOutput(value).length;
}

type FilterThis = { context: Context };
type FilterFn = (this: FilterThis, value: unknown, ...args: unknown[]) => unknown;

/**
 * Every filter call pays for itself and for the text or the array elements it walks (none for
 * {@link CONSTANT_TIME_FILTERS}); the charges liquidjs makes inside a filter count as well,
 * capped at the input's size for {@link CHARGE_CAPPED_AT_INPUT}.
 */
function chargeFilters(liquid: Liquid): void {
  for (const [name, impl] of Object.entries(liquid.filters)) {
    const handler = (typeof impl === 'function' ? impl : impl.handler) as FilterFn | undefined;
    if (!handler) continue;
    const perElement = CONSTANT_TIME_FILTERS.has(name) ? 0 : Object.hasOwn(ELEMENT_COST_BY_FILTER, name) ? ELEMENT_COST_BY_FILTER[name] : undefined;
    const capped = CHARGE_CAPPED_AT_INPUT.has(name);
    const charged: FilterFn = function (value, ...args) {
      this.context.memoryLimit.use(LIQUID_COSTS.filterCall + inputCost(value, perElement));
      return handler.call(capped ? withChargesCapped(this, inputSize(value)) : this, value, ...args);
    };
    liquid.registerFilter(name, (typeof impl === 'function' ? charged : { ...impl, handler: charged }) as FilterImplOptions);
  }
}

/**
 * The filter's `this` with a context whose limiter passes on at most `cap` units in all. The
 * context inherits everything else from the real one (it is its prototype).
 */
function withChargesCapped(self: FilterThis, cap: number): FilterThis {
  const limiter = self.context.memoryLimit;
  let left = cap;
  const cappedLimiter = {
    use(count: number): void {
      const n = Math.min(+count, left);
      if (!(n > 0)) return;
      left -= n;
      limiter.use(n);
    },
    check(count: number): void {
      limiter.check(Math.min(+count, cap));
    },
  } as unknown as Limiter;
  const context = Object.create(self.context, { memoryLimit: { value: cappedLimiter } }) as Context;
  return { ...self, context };
}
