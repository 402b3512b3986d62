import type { Liquid, Template } from 'liquidjs';
import { createLiquid } from '../flow/liquid';
import { FlowError } from './errors';
import type { JsonObject } from './json';
import type { EngineLimits } from './limits';

/** Parsed templates kept per renderer; flows reuse their templates (loops, retries). */
const PARSE_CACHE_SIZE = 500;

/**
 * Renders Studio's Liquid against the flow context: in memory, undefined variables render as
 * empty text (Studio's lenient handling), dates in UTC, loops capped, with deterministic limits.
 */
export class TemplateRenderer {
  private readonly liquid: Liquid;
  private readonly parsed = new Map<string, Template[]>();

  constructor(private readonly limits: EngineLimits) {
    this.liquid = createLiquid({
      memoryLimit: limits.liquidMemoryLimit,
      parseLimit: limits.liquidParseLimit,
      maxLoopIterations: limits.maxLiquidLoopIterations,
    });
  }

  /**
   * Renders one template. Throws {@link FlowError} (`template:*`, Twilio 84003) on a syntax
   * error, a render error or output over the limit.
   */
  render(template: string, context: JsonObject): string {
    if (!template.includes('{')) return template;
    let output: string;
    try {
      output = this.liquid.renderSync(this.parse(template), context) as string;
    } catch (err) {
      throw new FlowError('template:render', `Unable to render template: ${(err as Error).message}`, 84003);
    }
    if (output.length > this.limits.maxRenderedChars) {
      throw new FlowError(
        'template:too-long',
        `Rendered template is ${output.length} characters, over the ${this.limits.maxRenderedChars} limit`,
        84003,
      );
    }
    return output;
  }

  private parse(template: string): Template[] {
    let parsed = this.parsed.get(template);
    if (!parsed) {
      parsed = this.liquid.parse(template);
      if (this.parsed.size >= PARSE_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(template, parsed);
    }
    return parsed;
  }
}
