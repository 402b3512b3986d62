import { applies } from '../engine/host';
import type { JsonValue } from '../engine/json';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { setVariablesProps } from './readers.generated';
import { type Infer } from './props';
import { renderKeyValues, type KeyValue } from './values';


type Props = Infer<typeof setVariablesProps>;

/**
 * A number as Studio's support article means it ("a value not enclosed in quotation marks is
 * numeric"): an optional minus, digits, optional decimals. Leading zeros ("007") and a leading
 * plus ("+14155551234") stay text so no digit is lost, as does any number JSON cannot hold exactly.
 * Surrounding whitespace is ignored: real counters render `{% if x %} {{x | plus: 1}} {% else %} 1 {% endif %}`.
 */
const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A value written between double quotes is text: the quotes mark the type and are not kept. */
function quoted(value: KeyValue['value']): boolean {
  return typeof value === 'string' && value.length >= 2 && value.startsWith('"') && value.endsWith('"');
}

/** The typed value of one rendered entry (text otherwise). */
function typed(entry: KeyValue, value: JsonValue): JsonValue {
  if (typeof value !== 'string' || entry.parse_as_json === true || entry.type === 'json') return value;
  if (quoted(entry.value)) return value.slice(1, -1);
  const trimmed = value.trim();
  if (!NUMERIC.test(trimmed)) return value;
  const n = Number(trimmed);
  // 12345678901234567890 or 1.10 would come back different: text keeps every digit.
  return String(n) === trimmed ? n : value;
}

/**
 * Set Variables — renders each value with Liquid (against the context before the step) and
 * stores it in `flow.variables.<key>`, visible to every later widget; the same pairs appear
 * under `widgets.<name>` — which is how a subflow returns values to its parent. Keys are
 * case-sensitive; a value marked "parse as JSON" becomes an object; an unquoted numeric value
 * (also one Liquid renders, as in `{{flow.variables.count | plus: 1}}`) becomes a number and a
 * quoted one text without its quotes (support.twilio.com/hc/en-us/articles/4413699936411).
 * Emits `next`.
 *
 * @example
 * { "name": "set_1", "type": "set-variables", "transitions": [{ "event": "next", "next": "reply" }],
 *   "properties": { "variables": [{ "key": "greeting", "value": "Hi {{trigger.message.Body}}" }] } }
 */
export const setVariables: WidgetBehaviour<Props> = {
  type: 'set-variables',
  parse: (properties) => parseProperties('set-variables', setVariablesProps, properties),
  run: ({ props, render, limits, host }) => {
    const entries = props.variables ?? [];
    const rendered = renderKeyValues(entries, render, limits.maxJsonDepth);
    // Executions recorded before typed values replay with every value as text.
    const types = applies(host, 'set-variables-types');
    const pairs = rendered.map(([key, value], i): [string, JsonValue] => [key, types ? typed(entries[i] as KeyValue, value) : value]);
    const variables = Object.fromEntries(pairs);
    return { event: 'next', variables, outputs: variables };
  },
};
