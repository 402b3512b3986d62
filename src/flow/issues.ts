import type { z } from 'zod';

/**
 * A validation finding, in Studio's shape: `property_path` is a JSON Pointer into the
 * definition (`#/states/3/properties/timeout`), `message` says what is wrong. `code` is ours
 * (`area:problem`), for programs and tests.
 */
export interface FlowIssue {
  readonly property_path: string;
  readonly message: string;
  readonly code: string;
}

/** A JSON Pointer (RFC 6901) in URI-fragment form, as Studio reports paths. */
export function pointer(...segments: ReadonlyArray<string | number>): string {
  return `#${segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
}

/** The keys of a JSON Pointer in URI-fragment form: `#/states/3/properties/say` → ['states', 3, 'properties', 'say']. */
export function pointerSegments(fragment: string): Array<string | number> {
  return fragment
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Turns zod issues about `input` into flow issues under a base path. An issue at a path where
 * `input` has no value is a missing required property.
 */
export function fromZod(error: z.ZodError, base: ReadonlyArray<string | number>, input: unknown): FlowIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const missing = issue.code === 'invalid_type' && valueAt(input, path) === undefined;
    return { property_path: pointer(...base, ...path), message: missing ? 'is required' : issue.message, code: missing ? 'schema:required' : 'schema:invalid' };
  });
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
