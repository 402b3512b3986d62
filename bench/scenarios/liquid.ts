import { Liquid } from 'liquidjs';
import { DEFAULT_LIMITS } from '../../src/engine/limits';
import { TemplateRenderer } from '../../src/engine/liquid';
import type { JsonObject } from '../../src/engine/json';
import type { Row } from '../report';
import { perSecond, ratio } from '../stats';

/** Templates of the kind Studio flows are full of: lookups, filters, conditions, a loop. */
export const STUDIO_TEMPLATES = [
  'Hi {{contact.channel.address}}, you said: {{widgets.ask.inbound.Body}}',
  '{{trigger.message.Body | downcase | strip}}',
  '{{flow.variables.count | plus: 1}}',
  '{% if widgets.lookup.parsed.status == "confirmed" %}See you on {{widgets.lookup.parsed.date | date: "%b %d"}}{% else %}We could not find your booking{% endif %}',
  '{% for item in widgets.lookup.parsed.items %}{{forloop.index}}. {{item.name}} ({{item.price}})\n{% endfor %}',
  '{{widgets.lookup.parsed.customer.first_name | default: "there" | capitalize}}',
] as const;

const CONTEXT: JsonObject = {
  contact: { channel: { address: '+14155550100' } },
  trigger: { message: { Body: '  YES please ', From: '+14155550100' } },
  flow: { variables: { count: 41 } },
  widgets: {
    ask: { inbound: { Body: 'Tuesday works' } },
    lookup: {
      parsed: {
        status: 'confirmed',
        date: '2026-12-01T10:00:00Z',
        customer: { first_name: 'ada' },
        items: [{ name: 'Haircut', price: 30 }, { name: 'Shave', price: 15 }, { name: 'Wash', price: 10 }],
      },
    },
  },
};

/**
 * (6) Liquid renders per second over the templates above, through the engine's renderer (its
 * limits, lenient lookups and parse cache), against liquidjs alone rendering the same templates
 * pre-parsed: the library's own floor.
 */
export function measureLiquid(rounds: number): Row[] {
  const renderer = new TemplateRenderer(DEFAULT_LIMITS);
  // One round stands for one step of an execution that then waits (sends, asks, calls out):
  // the renders between two waits share a work limit.
  const step = () => {
    STUDIO_TEMPLATES.forEach((t) => renderer.render(t, CONTEXT));
    renderer.waited();
  };
  const plain = new Liquid();
  const parsed = STUDIO_TEMPLATES.map((t) => plain.parse(t));
  for (let i = 0; i < 200; i++) step();
  for (let i = 0; i < 200; i++) parsed.forEach((t) => void plain.renderSync(t, CONTEXT));
  const time = (render: () => void) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) render();
    return performance.now() - started;
  };
  const engineMs = time(step);
  const plainMs = time(() => parsed.forEach((t) => void plain.renderSync(t, CONTEXT)));
  const renders = rounds * STUDIO_TEMPLATES.length;
  const engine = perSecond(renders, engineMs);
  const baseline = perSecond(renders, plainMs);
  return [{ id: 'liquid', figure: `Liquid renders/s, ${STUDIO_TEMPLATES.length} typical Studio templates`, unit: 'renders/s', engine, baseline, baselineLabel: 'liquidjs alone, pre-parsed', ratio: ratio(engine, baseline), detail: { renders } }];
}
