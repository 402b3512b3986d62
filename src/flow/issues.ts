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

/** Turns zod issues into flow issues under a base path. */
export function fromZod(error: z.ZodError, base: ReadonlyArray<string | number>, code = 'schema:invalid'): FlowIssue[] {
  return error.issues.map((issue) => ({
    property_path: pointer(...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))),
    message: issue.message,
    code: issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'schema:required' : code,
  }));
}
