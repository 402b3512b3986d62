import { FlowError } from '../engine/errors';
import { parseJsonWithin, type JsonObject, type JsonValue } from '../engine/json';

/** A `{key, value}` entry of Set Variables, HTTP/function parameters and subflow parameters. */
export interface KeyValue {
  readonly key: string;
  readonly value?: string | number | boolean | null;
  /** Set Variables' per-entry type; `json` parses the rendered value ("Parse as JSON object"). */
  readonly type?: string;
  readonly parse_as_json?: boolean;
}

/**
 * Renders `{key, value}` entries in order. Keys are rendered too: Studio allows Liquid there.
 * "Parse as JSON" values are refused past `maxJsonDepth` levels (LIMIT_MAX_JSON_DEPTH).
 */
export function renderKeyValues(entries: readonly KeyValue[], render: (template: string) => string, maxJsonDepth: number): Array<[string, JsonValue]> {
  return entries.map((entry) => {
    const key = render(entry.key);
    const value = entry.value;
    if (value === undefined || value === null) return [key, ''];
    if (typeof value !== 'string') return [key, value];
    const text = render(value);
    return [key, entry.parse_as_json === true || entry.type === 'json' ? parseJson(key, text, maxJsonDepth) : text];
  });
}

/** The same, as an object (later keys win, as Studio's forms overwrite). */
export function renderKeyValueObject(entries: readonly KeyValue[], render: (template: string) => string, maxJsonDepth: number): JsonObject {
  return Object.fromEntries(renderKeyValues(entries, render, maxJsonDepth));
}

function parseJson(key: string, text: string, maxJsonDepth: number): JsonValue {
  const parsed = parseJsonWithin(text, maxJsonDepth);
  if (parsed.ok) return parsed.value;
  if (parsed.reason === 'depth') throw new FlowError('limit:json-depth', `"${key}" is marked "parse as JSON" but ${parsed.message} (LIMIT_MAX_JSON_DEPTH)`, 84003);
  throw new FlowError('widget:invalid-json', `"${key}" is marked "parse as JSON" but renders to text that is not JSON: ${text.slice(0, 100)}`);
}
