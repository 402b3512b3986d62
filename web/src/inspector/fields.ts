import { z } from 'zod';
import { fieldLabel, isAdvanced, isMultiline } from '../../../src/flow/widget-catalog';
import { WIDGET_SPECS } from '../../../src/flow/widgets';

/**
 * The Inspector's form of each widget type, derived from the very zod schema the engine
 * validates `properties` with (through its JSON Schema), so a form can never offer a property
 * the engine refuses nor miss one it knows. Pure: no DOM, no React (tests run it under Node).
 */

export type FieldKind = 'text' | 'multiline' | 'integer' | 'number' | 'boolean' | 'choice' | 'keyValue' | 'json';

export interface Field {
  /** The property key in `properties`. */
  readonly key: string;
  /** What the form calls it; also the input's accessible name. */
  readonly label: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  /** Studio's fixed options (`oneOf` words), for `choice` fields and as hints elsewhere. */
  readonly choices?: readonly string[];
  /** A short help text shown under the input. */
  readonly hint?: string;
  /** A property the schema does not model (loose objects keep them): shown so it stays editable. */
  readonly extra?: boolean;
  /** Shown folded under "Advanced" (the widget's spec says which). */
  readonly advanced?: boolean;
}

/** The subset of JSON Schema `z.toJSONSchema` produces for widget properties. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  /** Set by `oneOf` in `src/flow/values.ts` through `.meta`. */
  readonly choices?: readonly string[];
}

/** Canvas position: the canvas edits it, never the form. */
const HIDDEN = new Set(['offset']);

const ACRONYMS: Readonly<Record<string, string>> = { url: 'URL', urls: 'URLs', sid: 'SID', sip: 'SIP', id: 'ID', json: 'JSON', http: 'HTTP', tts: 'TTS', dtmf: 'DTMF', twiml: 'TwiML', api: 'API', ssml: 'SSML' };
const SMALL_WORDS = new Set(['on', 'of', 'to', 'as', 'and', 'or', 'the', 'a', 'in', 'for', 'with', 'at', 'by']);

/** `finish_on_key` → "Finish on Key", `waitUrlMethod` → "Wait URL Method". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  return words.map((w, i) => ACRONYMS[w] ?? (i > 0 && SMALL_WORDS.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

/** Studio's caption from the widget's spec, else the key in words. */
export function labelOf(type: string, key: string): string {
  return fieldLabel(type, key) ?? humanize(key);
}

const cache = new Map<string, readonly Field[]>();

/** The fields of a widget type's schema, in schema order, without `offset`. */
export function schemaFields(type: string): readonly Field[] {
  const cached = cache.get(type);
  if (cached) return cached;
  const spec = WIDGET_SPECS[type];
  if (!spec) return [];
  const schema = z.toJSONSchema(spec.properties, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {})
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, property]) => fieldOf(type, key, property, required.has(key)));
  cache.set(type, fields);
  return fields;
}

/**
 * The fields to show for one widget: its type's fields, then every other property it holds
 * (except `offset`), so nothing an export carries is hidden or lost.
 */
export function fieldsFor(type: string, properties: Readonly<Record<string, unknown>>): Field[] {
  const fields = [...schemaFields(type)];
  const known = new Set(fields.map((f) => f.key));
  for (const [key, value] of Object.entries(properties)) {
    if (known.has(key) || HIDDEN.has(key)) continue;
    fields.push({ key, label: labelOf(type, key), kind: extraKind(value), required: false, extra: true, hint: 'Not a property this editor knows; kept as is' });
  }
  return fields;
}

function extraKind(value: unknown): FieldKind {
  if (typeof value === 'string') return value.includes('\n') ? 'multiline' : 'text';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

function fieldOf(type: string, key: string, property: JsonSchema, required: boolean): Field {
  const base = { key, label: labelOf(type, key), required, ...(isAdvanced(type, key) ? { advanced: true } : {}) };
  const branches = flatten(property);
  const types = new Set(branches.flatMap((b) => (typeof b.type === 'string' ? [b.type] : (b.type ?? []))));
  const choices = branches.flatMap((b) => b.choices ?? []);
  const withChoices = choices.length ? { choices } : {};
  const alsoWords = choices.length ? `, ${choices.join(', ')}` : '';
  if (types.has('boolean')) return { ...base, kind: 'boolean', hint: 'true or false, or Liquid' };
  if (types.has('integer')) return { ...base, ...withChoices, kind: 'integer', hint: `A whole number${alsoWords}, or Liquid` };
  if (types.has('number')) return { ...base, ...withChoices, kind: 'number', hint: `A number${alsoWords}, or Liquid` };
  if (types.size === 1 && types.has('string')) {
    if (choices.length && branches.every((b) => b.choices)) return { ...base, kind: 'choice', choices };
    return { ...base, kind: isMultiline(type, key) ? 'multiline' : 'text' };
  }
  if (types.size === 1 && types.has('array') && isKeyValue(property.items)) return { ...base, kind: 'keyValue' };
  return { ...base, ...withChoices, kind: 'json', hint: 'JSON' };
}

/** The alternatives of a (possibly nested) `anyOf`. */
function flatten(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf ? schema.anyOf.flatMap(flatten) : [schema];
}

function isKeyValue(items: JsonSchema | undefined): boolean {
  return items?.properties?.key !== undefined && items.properties.value !== undefined;
}

/** A `{key, value}` row of a key/value list; other members of the row (e.g. `type`) are kept. */
export interface KeyValue {
  key: string;
  value?: unknown;
  [member: string]: unknown;
}

/** The rows of a key/value property; a value of another shape yields none (shown as JSON then). */
export function keyValueRows(value: unknown): KeyValue[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const rows: unknown[] = value;
  return rows.every((r): r is KeyValue => typeof r === 'object' && r !== null && !Array.isArray(r) && typeof (r as { key?: unknown }).key === 'string') ? rows : undefined;
}

/** How a property value shows in a text input. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Objects are shown by the JSON editor instead; nothing else reaches a text input.
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/**
 * The property value for what was typed into a field. Numbers stay numbers and strings stay
 * strings when they were already (exports mix `"timeout": "3600"` and `"timeout": 5`); an empty
 * number, boolean or choice field removes the property rather than storing an invalid "".
 */
export function valueOf(field: Field, text: string, previous: unknown): unknown {
  switch (field.kind) {
    case 'integer':
    case 'number': {
      if (text.trim() === '') return undefined;
      const numeric = field.kind === 'integer' ? /^\s*-?\d+\s*$/ : /^\s*-?\d+(\.\d+)?\s*$/;
      return numeric.test(text) && typeof previous !== 'string' ? Number(text) : text;
    }
    case 'boolean':
      if (text.trim() === '') return undefined;
      if (typeof previous !== 'string' && /^\s*(true|false)\s*$/i.test(text)) return text.trim().toLowerCase() === 'true';
      return text;
    case 'choice':
      return text === '' ? undefined : text;
    default:
      return text;
  }
}

/** `properties` with `key` set to `value` (removed when undefined), keeping the key order. */
export function withProperty(properties: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  if (value !== undefined) return { ...properties, [key]: value };
  const rest = { ...properties };
  delete rest[key];
  return rest;
}
