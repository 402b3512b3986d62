import { z } from 'zod';

/**
 * Value types of widget properties, as Studio accepts them. Studio's schema types some numbers
 * and booleans as strings and others as real numbers/booleans, and exports mix both; a field
 * may also hold Liquid that renders to the value at run time. These accept all of that and
 * refuse what could never work (an object where a number belongs, "abc" as a timeout).
 */

const LIQUID = /\{\{|\{%/;

/** True when a string contains Liquid markup. */
export function hasLiquid(value: string): boolean {
  return LIQUID.test(value);
}

/** Free text, usually a Liquid template. */
export const text = z.string();

/**
 * Where Make HTTP Request and Run Function call: an http(s) URL, or Liquid that renders to one.
 * A literal with another scheme (`file:`, `gopher:`, `data:`) or a line break could never be
 * called, so it is refused at once; other literals (exports carry placeholders such as
 * `${base_url}/path`) are left to the runtime check.
 */
export const httpTarget = z.string().refine((v) => hasLiquid(v) || !(/[\r\n]/.test(v) || (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^https?:/i.test(v))), 'expected an http or https URL (or Liquid)');

/** A whole number, as a number or a numeric string, or Liquid that renders to one. */
export const integerLike = z.union([
  z.number().int('expected a whole number'),
  z.string().refine((v) => /^\s*-?\d+\s*$/.test(v) || hasLiquid(v), 'expected a whole number (or Liquid)'),
]);

/** A number, as a number or a numeric string, or Liquid. */
export const numberLike = z.union([
  z.number(),
  z.string().refine((v) => /^\s*-?\d+(\.\d+)?\s*$/.test(v) || hasLiquid(v), 'expected a number (or Liquid)'),
]);

/** A boolean, as a boolean or the strings "true"/"false", or Liquid. */
export const booleanLike = z.union([
  z.boolean(),
  z.string().refine((v) => /^\s*(true|false)\s*$/i.test(v) || hasLiquid(v), 'expected true or false (or Liquid)'),
]);

/**
 * One of a fixed set of words (compared case-insensitively, as Studio's forms do), or Liquid.
 * A refinement hides the words from schema introspection, so `choices` metadata carries them
 * to the editor's generated forms (and to `z.toJSONSchema` output).
 */
export function oneOf(values: readonly [string, ...string[]]) {
  const allowed = new Set(values.map((v) => v.toLowerCase()));
  return z
    .string()
    .refine((v) => allowed.has(v.trim().toLowerCase()) || hasLiquid(v), `expected one of: ${values.join(', ')}`)
    .meta({ choices: [...values] });
}

/** `[{key, value}]` lists: HTTP parameters, function parameters, subflow parameters, content variables. */
export const keyValueList = z.array(
  z.looseObject({
    key: z.string(),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    // The value's type (`json` parses the rendered value), as Set Variables rows carry it too.
    type: z.string().optional(),
    parse_as_json: z.boolean().optional(),
  }),
);

/** Canvas position: no runtime meaning, kept as is. */
export const offset = z.looseObject({ x: z.number(), y: z.number() });

type Properties = Record<string, unknown>;

function isSet(properties: Properties, key: string): boolean {
  return properties[key] !== undefined;
}

/**
 * Object rule for `.superRefine`: exactly one of `keys` is set (Say/Play's `say`/`play`/`digits`).
 * With none set the issue points at the first key; with several, at each one after the first.
 */
export function exactlyOneOf(keys: readonly [string, string, ...string[]]) {
  const list = keys.join(', ');
  return (properties: Properties, ctx: z.RefinementCtx): void => {
    const set = keys.filter((key) => isSet(properties, key));
    if (set.length === 0) ctx.addIssue({ code: 'custom', message: `set one of: ${list}`, path: [keys[0]] });
    for (const key of set.slice(1)) ctx.addIssue({ code: 'custom', message: `set only one of: ${list}`, path: [key] });
  };
}

/** Object rule for `.superRefine`: at most one of `keys` is set; the issue points at each extra one. */
export function atMostOneOf(keys: readonly [string, string, ...string[]]) {
  const list = keys.join(', ');
  return (properties: Properties, ctx: z.RefinementCtx): void => {
    for (const key of keys.filter((k) => isSet(properties, k)).slice(1)) {
      ctx.addIssue({ code: 'custom', message: `set only one of: ${list}`, path: [key] });
    }
  };
}

/**
 * Object rule shared by Send Message and Send & Wait For Reply: a freeform message (no
 * `message_type`, or `custom`) needs `body`; a `content_template` needs `content_sid`.
 * Skipped when `message_type` is Liquid, since the kind is only known at run time.
 */
export function messageContent(properties: Properties, ctx: z.RefinementCtx): void {
  const kind = properties.message_type;
  if (typeof kind === 'string' && hasLiquid(kind)) return;
  const template = typeof kind === 'string' && kind.trim().toLowerCase() === 'content_template';
  const needed = template ? 'content_sid' : 'body';
  if (!isSet(properties, needed)) {
    ctx.addIssue({ code: 'custom', message: template ? 'a content template needs content_sid' : 'a message needs a body', path: [needed] });
  }
}

/**
 * The message fields Send Message and Send & Wait For Reply share: freeform `body` or a content
 * template, the sender, media and the Chat/Conversations addressing of exports.
 */
export const messageFields = {
  body: text.optional(),
  from: text.optional(),
  media_url: text.optional(),
  service: text.optional(),
  channel: text.optional(),
  attributes: text.optional(),
  message_type: oneOf(['custom', 'content_template']).optional(),
  content_sid: text.optional(),
  content_variables: keyValueList.optional(),
  shorten_urls: booleanLike.optional(),
  offset: offset.optional(),
};
