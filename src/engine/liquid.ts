import type { Liquid } from 'liquidjs';
import { createLiquid } from '../flow/liquid';
import { FlowError } from './errors';
import type { JsonObject } from './json';
import type { EngineLimits } from './limits';

/**
 * Renders Studio's Liquid against the flow context: in memory, undefined variables render as
 * empty text (Studio's lenient handling), dates in UTC, with deterministic limits.
 */
export class TemplateRenderer {
  private readonly liquid: Liquid;

  constructor(private readonly limits: EngineLimits) {
    this.liquid = createLiquid({ memoryLimit: limits.liquidMemoryLimit, parseLimit: limits.liquidParseLimit });
  }

  /**
   * Renders one template. Throws {@link FlowError} (`template:*`, Twilio 84003) on a syntax
   * error, a render error or output over the limit.
   */
  render(template: string, context: JsonObject): string {
    if (!template.includes('{')) return template;
    let output: string;
    try {
      output = this.liquid.parseAndRenderSync(template, context) as string;
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
}
