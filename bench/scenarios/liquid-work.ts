import { FlowError } from '../../src/engine/errors';
import type { JsonObject } from '../../src/engine/json';
import { DEFAULT_LIMITS } from '../../src/engine/limits';
import { TemplateRenderer } from '../../src/engine/liquid';
import type { Row } from '../report';

/** The Temporal worker's default isolate execution timeout: an activation past it fails and is retried forever. */
const ISOLATE_TIMEOUT_MS = 5_000;

const nest = (depth: number, body: string, range = '(1..15)'): string => {
  let out = body;
  for (let d = 0; d < depth; d++) out = `{% for i${d} in ${range} %}${out}{% endfor %}`;
  return out;
};

/**
 * Templates that spend as much time per unit of Liquid work as we could find (see
 * src/flow/liquid-budget.ts): huge ranges, nested loops, conditions and filters walking arrays
 * of objects, text filters over long text, expression filters, shuffles, self-doubling text,
 * objects to JSON, and the filters charged less than their input's size (slice, size, first).
 */
export const HOSTILE_TEMPLATES: Readonly<Record<string, string>> = {
  'huge range': '{{ (1..99999999) | append: "x" }}',
  'range loop': nest(1, '', '(1..99999999)'),
  'nested loops': nest(6, ''),
  'nested conditions': nest(5, '{% if i0 == i1 %}{% endif %}'),
  'where over objects': nest(4, '{% assign z = objects | where: "a", 3 %}'),
  'reject over numbers': nest(3, '{% assign z = numbers | reject: "a", 3 %}'),
  'where_exp': nest(3, '{% assign z = numbers | where_exp: "n", "n > 3" %}'),
  'url_encode long text': nest(3, '{% assign z = text | url_encode %}'),
  'sample long text': nest(3, '{% assign z = text | sample: 3 %}'),
  'doubling capture': `{% assign s = "xxxxxxxxxx" %}${nest(2, '{% capture s %}{{s}}{{s}}{% endcapture %}')}{{ s | size }}`,
  'contains long text': '{% if text contains "zz" %}{% endif %}'.repeat(20_000),
  'to_json of objects': nest(3, '{% assign z = objects | to_json %}'),
  'slice long text': nest(3, '{% assign z = text | slice: 1, 999999999 %}'),
  'size of long arrays': nest(4, '{% assign z = numbers | size %}{% assign z = text | first %}'),
};

const CONTEXT: JsonObject = {
  text: 'ab '.repeat(20_000),
  objects: Array.from({ length: 30 }, (_, i) => ({ a: i, b: 'y'.repeat(100) })),
  numbers: Array.from({ length: 1_000 }, (_, i) => i),
};

/**
 * (7) How long Liquid can hold one workflow activation: each hostile template is rendered with
 * the default limits, again and again without a wait, until the work limit between waits stops
 * it. The longest such stretch must stay far below the worker's isolate timeout.
 */
export function measureLiquidWork(): Row[] {
  let worst = { name: '', ms: 0, renders: 0 };
  for (const [name, template] of Object.entries(HOSTILE_TEMPLATES)) {
    const renderer = new TemplateRenderer(DEFAULT_LIMITS);
    const started = performance.now();
    let renders = 0;
    for (; renders < 10_000; renders++) {
      try {
        renderer.render(template, CONTEXT);
      } catch (err) {
        if (!(err instanceof FlowError)) throw err;
        if (err.code === 'template:limit' && /last waited/.test(err.message)) break;
      }
    }
    const ms = performance.now() - started;
    if (ms > worst.ms) worst = { name, ms, renders };
  }
  const engine = Math.round(worst.ms);
  return [
    {
      id: 'liquid-work',
      figure: `Liquid: longest stretch without a wait, ${Object.keys(HOSTILE_TEMPLATES).length} hostile templates`,
      unit: 'ms',
      engine,
      baseline: ISOLATE_TIMEOUT_MS,
      baselineLabel: 'worker isolate timeout',
      ratio: engine / ISOLATE_TIMEOUT_MS,
      target: '≤ 1000 ms',
      met: engine <= 1_000,
      detail: { worst: worst.name, rendersUntilStopped: worst.renders, workBetweenWaits: DEFAULT_LIMITS.liquidWorkBetweenWaits },
    },
  ];
}
