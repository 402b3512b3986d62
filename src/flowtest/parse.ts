import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { FlowTestFile, type FlowTestCase } from './schema';

/** One problem in a test file: where it is (1-based line, the key's path) and what is wrong. */
export interface FileProblem {
  readonly file: string;
  readonly line: number;
  readonly key: string;
  readonly message: string;
}

export class FlowTestFileError extends Error {
  constructor(readonly problems: readonly FileProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.key ? `${p.key}: ` : ''}${p.message}`).join('\n'));
    this.name = 'FlowTestFileError';
  }
}

/**
 * Parses a `*.flowtest.yaml` text: YAML errors, unknown keys, wrong types and regular
 * expressions that do not compile are all reported at once, each with its line and key.
 */
export function parseFlowTestFile(text: string, file: string): FlowTestFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new FlowTestFileError(doc.errors.map((e) => ({ file, line: lines.linePos(e.pos[0]).line, key: '', message: e.message.split('\n')[0]! })));
  }
  let value: unknown;
  try {
    // Aliases are resolved here: one without its anchor, or too many of them (an expansion bomb), is the file's error.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new FlowTestFileError([{ file, line: 1, key: '', message: (err as Error).message.split('\n')[0]! }]);
  }
  const parsed = FlowTestFile.safeParse(value);
  if (!parsed.success) {
    // An object with a misspelt key also fails its "needs one of" check: the unknown key says it all.
    const misspelt = new Set(parsed.error.issues.filter((i) => i.code === 'unrecognized_keys').map((i) => keyName(i.path)));
    const issues = parsed.error.issues.filter((i) => i.code !== 'custom' || !misspelt.has(keyName(i.path)));
    throw new FlowTestFileError(issues.flatMap((issue) => problemsOf(issue, doc, lines, file)));
  }
  const regexProblems = badRegexes(parsed.data).map(({ path, message }) => ({ file, line: lineOf(doc, lines, path), key: keyName(path), message }));
  if (regexProblems.length > 0) throw new FlowTestFileError(regexProblems);
  return parsed.data;
}

function problemsOf(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, file: string): FileProblem[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ file, line: lineOf(doc, lines, [...path, key], true), key: keyName([...path, key]), message: `unknown key "${key}"` }));
  }
  if (issue.code === 'invalid_key') {
    // A record's key: its own check's message says what the key must be.
    return [{ file, line: lineOf(doc, lines, path, true), key: keyName(path), message: issue.issues[0]?.message ?? issue.message }];
  }
  if (issue.code === 'invalid_union') {
    // Name the alternatives instead of every branch's complaint.
    return [{ file, line: lineOf(doc, lines, path), key: keyName(path), message: issue.message === 'Invalid input' ? `not one of the allowed forms (${unionHint(path)})` : issue.message }];
  }
  return [{ file, line: lineOf(doc, lines, path), key: keyName(path), message: issue.message }];
}

function unionHint(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (last === 'trigger') return 'message, call, request or conversation, each with its own keys';
  if (last === 'send') return 'text, or { body, media }';
  if (last === 'press') return 'digits, * or #';
  if (last === 'wait') return 'a duration like 30s, 5m, 2h or 7d';
  return 'see the JSON Schema';
}

/** The 1-based line of the node at `path` (of its key when `key`), or of the nearest parent that exists. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[], key = false): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const parentPath = path.slice(0, Math.max(0, depth - 1)) as unknown[];
    if (depth > 0 && key && depth === path.length) {
      const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === path[depth - 1]);
        const range = pair && (pair.key as Node | null)?.range;
        if (range) return lines.linePos(range[0]).line;
      }
    }
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** `tests[0].steps[2].expect.message` */
export function keyName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

const MATCHER_KEYS = ['message', 'say', 'play', 'dial', 'call', 'reason'] as const;

function badRegexes(file: FlowTestFile): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  const check = (value: string | undefined, path: (string | number)[]) => {
    if (value === undefined) return;
    const problem = regexProblem(value);
    if (problem) found.push({ path, message: problem });
  };
  file.tests.forEach((test: FlowTestCase, t) =>
    test.steps.forEach((step, s) => {
      const expect = step.expect;
      if (!expect) return;
      const at = ['tests', t, 'steps', s, 'expect'];
      for (const key of MATCHER_KEYS) check(expect[key], [...at, key]);
      (expect.media ?? []).forEach((m, i) => check(m, [...at, 'media', i]));
      check(expect.request?.url, [...at, 'request', 'url']);
      check(expect.request?.body, [...at, 'request', 'body']);
      for (const [name, value] of Object.entries(expect.request?.headers ?? {})) check(value, [...at, 'request', 'headers', name]);
    }),
  );
  return found;
}

const REGEX = /^\/(.*)\/([a-z]*)$/s;

/** A matcher between slashes is a regular expression. */
export function compileMatcher(matcher: string): RegExp | undefined {
  const match = REGEX.exec(matcher);
  return match ? new RegExp(match[1]!, match[2]) : undefined;
}

function regexProblem(matcher: string): string | undefined {
  try {
    compileMatcher(matcher);
    return undefined;
  } catch (err) {
    return `the regular expression ${matcher} does not compile: ${(err as Error).message}`;
  }
}
