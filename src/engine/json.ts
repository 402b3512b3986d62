/** JSON values: everything the flow context holds is plain data, so it survives history and continue-as-new. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A deep copy of plain JSON data. `structuredClone` does not exist in the workflow sandbox. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Whether JSON text nests deeper than `maxDepth` arrays/objects, found by one linear scan
 * without parsing. Values from outside (HTTP and function responses, `Parameters`, flow
 * definitions) are checked with it before `JSON.parse`: parsing deep text is cheap, but every
 * later step that walks the value recursively is not — serializing it for Temporal's history,
 * a query answer or an HTTP response overflows the stack somewhere between a few thousand and
 * a few tens of thousands of levels, and a workflow task that fails that way retries forever.
 */
export function jsonTextTooDeep(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return false;
}

/** The same check for a value already parsed (a JSON request body), iteratively: no recursion to overflow. */
export function jsonValueTooDeep(value: unknown, maxDepth: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Object.values(item.value)) if (child !== null && typeof child === 'object') stack.push({ value: child, depth });
  }
  return false;
}

/** Why JSON text from outside was not taken: not JSON at all, or nested deeper than allowed. */
export type JsonParseFailure = { readonly reason: 'syntax' | 'depth'; readonly message: string };

/** Parses JSON text from outside, refusing text nested deeper than `maxDepth` before parsing it. */
export function parseJsonWithin(text: string, maxDepth: number): { ok: true; value: JsonValue } | ({ ok: false } & JsonParseFailure) {
  if (jsonTextTooDeep(text, maxDepth)) return { ok: false, reason: 'depth', message: `it nests arrays or objects more than ${maxDepth} levels deep` };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (err) {
    return { ok: false, reason: 'syntax', message: (err as Error).message };
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
