import type { Liquid, Template } from 'liquidjs';
import { createLiquid, renderWithin } from '../flow/liquid';
import type { StudioSemantics } from '../flow/liquid-studio';
import { ChargedEmitter, LIQUID_COSTS, LiquidBudget } from '../flow/liquid-budget';
import { FlowError } from './errors';
import type { JsonObject } from './json';
import type { EngineLimits } from './limits';

/** Parsed templates kept per renderer; flows reuse their templates (loops, retries). */
const PARSE_CACHE_SIZE = 500;

/**
 * Renders Studio's Liquid against the flow context: in memory, undefined variables render as
 * empty text (Studio's lenient handling), dates in US Pacific time, loops capped, with deterministic limits
 * on the text written and the work done (see {@link LiquidBudget}).
 */
export class TemplateRenderer {
  private readonly liquid: Liquid;
  private readonly parsed = new Map<string, Template[]>();
  private readonly budget: LiquidBudget;

  /** `studio`: the execution's clock and whether it renders with Studio's semantics (see `useStudioSemantics`). */
  constructor(
    private readonly limits: EngineLimits,
    studio?: StudioSemantics,
  ) {
    this.liquid = createLiquid({
      parseLimit: limits.liquidParseLimit,
      maxLoopIterations: limits.maxLiquidLoopIterations,
      studio,
    });
    this.budget = new LiquidBudget(limits.liquidWorkPerTemplate, limits.liquidWorkBetweenWaits);
  }

  /** The execution waited for something: the work limit between waits starts again. */
  waited(): void {
    this.budget.waited();
  }

  /**
   * Renders one template. Throws {@link FlowError} (Twilio 84003) on a syntax or render error
   * (`template:render`), output over `maxRenderedChars` (`template:too-long`) or work over the
   * Liquid limits (`template:limit`).
   */
  render(template: string, context: JsonObject): string {
    if (!template.includes('{')) return template;
    const emitter = new ChargedEmitter(this.budget.asLimiter(), this.limits.maxRenderedChars);
    this.budget.beginRender();
    try {
      return renderWithin(this.liquid, this.parse(template), context, this.budget, emitter);
    } catch (err) {
      throw this.failure(err, emitter);
    }
  }

  private failure(err: unknown, emitter: ChargedEmitter): FlowError {
    if (emitter.overflowed) {
      return new FlowError('template:too-long', `Rendered template is over the ${this.limits.maxRenderedChars} character limit`, 84003);
    }
    const breach = this.budget.breach;
    if (breach === 'render') {
      return new FlowError('template:limit', `Template needs more than ${this.limits.liquidWorkPerTemplate} units of Liquid work (liquidWorkPerTemplate)`, 84003);
    }
    if (breach === 'between-waits') {
      return new FlowError(
        'template:limit',
        `Templates rendered since the execution last waited need more than ${this.limits.liquidWorkBetweenWaits} units of Liquid work (liquidWorkBetweenWaits)`,
        84003,
      );
    }
    return renderError(err);
  }

  private parse(template: string): Template[] {
    let parsed = this.parsed.get(template);
    if (!parsed) {
      // Charged before parsing: a template too long to parse within the limits never is.
      this.budget.use(template.length * LIQUID_COSTS.parseChar);
      parsed = this.liquid.parse(template);
      if (this.parsed.size >= PARSE_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(template, parsed);
    }
    return parsed;
  }
}

function renderError(err: unknown): FlowError {
  return new FlowError('template:render', `Unable to render template: ${(err as Error).message}`, 84003);
}
