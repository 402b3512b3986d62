import type { RE2JS } from 're2js';

type Matcher = (input: string) => boolean;

/** Compiled patterns kept per process; flows reuse a handful of patterns. */
const CACHE_SIZE = 200;
const compiled = new Map<string, Matcher>();

let re2: typeof RE2JS | undefined;

/**
 * Split Based On's `regex`: the pattern must match the whole input, ignoring case, `.` matching
 * line breaks. Patterns run on RE2 (re2js, in plain JavaScript): linear time, so no contact's
 * input can make a pattern backtrack for seconds inside a workflow task, and it reads Java's
 * inline flags such as `(?i)` that Studio flows use. A pattern RE2 cannot run (a lookaround,
 * a backreference) falls back to JavaScript's own engine; an invalid one matches nothing.
 */
export function matchesWhole(pattern: string, input: string): boolean {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compile(pattern);
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, matcher);
  }
  return matcher(input);
}

function compile(pattern: string): Matcher {
  const RE2 = loadRe2();
  try {
    const expression = RE2.compile(pattern, RE2.CASE_INSENSITIVE | RE2.DOTALL);
    return (input) => expression.matches(input);
  } catch {
    // not RE2 syntax: JavaScript's engine, if it can read the pattern at all
  }
  try {
    const expression = new RegExp(`^(?:${pattern})$`, 'is');
    return (input) => expression.test(input);
  } catch {
    return () => false;
  }
}

/**
 * re2js is loaded on first use: it is a large module (about 120 KiB of heap once evaluated),
 * the worker evaluates a workflow's modules for each workflow it holds, and most executions
 * never test a regex. A `require` of a literal name is not Node's here: the workflow bundler
 * turns it into its own module loader, as it does every import.
 */
function loadRe2(): typeof RE2JS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, no-restricted-globals
  re2 ??= (require('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  return re2;
}
