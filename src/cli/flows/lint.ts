import fs from 'node:fs';
import path from 'node:path';
import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { pointer, pointerSegments, type FlowIssue } from '../../flow/issues';
import { lintFlow } from '../../flow/lint';
import { relative } from './files';

/** One finding, placed in its file. */
export interface LintFinding {
  readonly file: string;
  readonly severity: 'error' | 'warning';
  /** The JSON Pointer into the file (under `/definition` in a flow file of `flows pull`). */
  readonly pointer: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

export interface LintReport {
  readonly files: number;
  readonly findings: readonly LintFinding[];
}

/**
 * `open-studio flows lint`: the server's validator and the lint rules Studio lacks, run on files
 * with no server. A path is a file or a folder (its `.json` files, not recursing); each file is a
 * flow file of `flows pull` or a bare definition as Studio exports it.
 */
export function lintPaths(paths: readonly string[]): LintReport {
  const files = paths.flatMap(filesOf);
  return { files: files.length, findings: files.flatMap(lintFile) };
}

function filesOf(target: string): string[] {
  if (!fs.existsSync(target)) throw new Error(`${target}: no such file or folder`);
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(target, f));
}

export function lintFile(file: string): LintFinding[] {
  const text = fs.readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (err) {
    return [notJson(file, text, err as Error)];
  }
  const inFlowFile = isFlowFile(parsed);
  const result = lintFlow(isFlowFile(parsed) ? parsed.definition : parsed);
  const tree = parseTree(text);
  const place = (severity: LintFinding['severity']) => (issue: FlowIssue): LintFinding => {
    const segments = [...(inFlowFile ? ['definition'] : []), ...pointerSegments(issue.property_path)];
    const { line, column } = positionOf(text, tree, segments);
    return { file: relative(file), severity, pointer: pointer(...segments), line, column, code: issue.code, message: issue.message };
  };
  return [...result.errors.map(place('error')), ...result.warnings.map(place('warning'))].sort((a, b) => a.line - b.line || a.column - b.column);
}

function notJson(file: string, text: string, err: Error): LintFinding {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true });
  const before = text.slice(0, errors[0]?.offset ?? 0).split('\n');
  return { file: relative(file), severity: 'error', pointer: '#', line: before.length, column: before[before.length - 1]!.length + 1, code: 'file:not-json', message: `not JSON: ${err.message}` };
}

function isFlowFile(value: unknown): value is { definition: unknown } {
  return value !== null && typeof value === 'object' && 'definition' in value && 'friendly_name' in value;
}

/** Where a pointer's value starts in the text; a missing property is placed at the nearest object that holds it. */
function positionOf(text: string, tree: Node | undefined, segments: Array<string | number>): { line: number; column: number } {
  let node: Node | undefined;
  for (let n = segments.length; n >= 0 && !node; n--) node = tree && findNodeAtLocation(tree, segments.slice(0, n));
  // A property's value: point at its key, where people look for it.
  const at = node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** `file:line:column: severity message [code]`, as compilers print them. */
export function formatText(report: LintReport): string {
  return report.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.message} [${f.code}] ${f.pointer}`).join('\n');
}

/** GitHub Actions workflow commands: each finding becomes an annotation on its line of the pull request. */
export function formatGithub(report: LintReport): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return report.findings
    .map((f) => `::${f.severity} file=${property(f.file)},line=${f.line},col=${f.column},title=${property(f.code)}::${data(`${f.message} (${f.pointer})`)}`)
    .join('\n');
}

/** Findings per code, most first: what a rule finds over a set of flows. */
export function countsByCode(report: LintReport): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function summaryOf(report: LintReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const byCode = countsByCode(report).map(([code, n]) => `${code} ${n}`);
  return `${report.files} flow file(s): ${errors} error(s), ${warnings} warning(s)${byCode.length ? ` — ${byCode.join(', ')}` : ''}`;
}
