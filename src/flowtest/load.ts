import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { pointerSegments } from '../flow/issues';
import { validateFlow } from '../flow/validate';
import type { FlowDefinition } from '../flow/definition';
import { FlowTestFileError, parseFlowTestFile, type FileProblem } from './parse';
import type { Suite } from './runner';

export const TEST_FILE_SUFFIX = '.flowtest.yaml';

/** Every `*.flowtest.yaml` under the given files and folders (sorted; node_modules and dot-folders skipped). */
export function findTestFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (entry: string) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) throw new FlowTestFileError([{ file: entry, line: 0, key: '', message: 'no such file or folder' }]);
    if (stat.isFile()) {
      found.add(path.resolve(entry));
      return;
    }
    for (const child of fs.readdirSync(entry, { withFileTypes: true })) {
      if (child.name.startsWith('.') || child.name === 'node_modules') continue;
      const full = path.join(entry, child.name);
      if (child.isDirectory()) visit(full);
      else if (child.name.endsWith(TEST_FILE_SUFFIX)) found.add(path.resolve(full));
    }
  };
  for (const entry of paths) visit(entry);
  return [...found].sort();
}

/** Reads a test file and its flow; every problem in either is reported with its file, line and key. */
export function loadSuite(file: string, displayName = file): Suite {
  const spec = parseFlowTestFile(fs.readFileSync(file, 'utf8'), displayName);
  if (spec.flow === undefined) throw new FlowTestFileError([{ file: displayName, line: 1, key: 'flow', message: 'required: the Flow JSON file these tests run, relative to this file' }]);
  const flowFile = path.resolve(path.dirname(file), spec.flow);
  const flowName = path.relative(process.cwd(), flowFile) || flowFile;
  if (!fs.existsSync(flowFile)) throw new FlowTestFileError([{ file: displayName, line: lineOfKey(fs.readFileSync(file, 'utf8'), ['flow']), key: 'flow', message: `the flow file ${flowName} does not exist` }]);
  const suite = suiteFromTexts(displayName, flowName, spec, fs.readFileSync(flowFile, 'utf8'));
  return { ...suite, subflows: readSubflows(file, displayName, spec.subflows ?? {}) };
}

/** Each subflow's Flow JSON, checked as the flow is: a problem is the test file's (at the subflow's key) or the subflow file's. */
function readSubflows(file: string, displayName: string, subflows: Readonly<Record<string, string>>): NonNullable<Suite['subflows']>[number][] {
  return Object.entries(subflows).map(([sid, relative]) => {
    const subflowFile = path.resolve(path.dirname(file), relative);
    const name = path.relative(process.cwd(), subflowFile) || subflowFile;
    if (!fs.existsSync(subflowFile)) {
      throw new FlowTestFileError([{ file: displayName, line: lineOfKey(fs.readFileSync(file, 'utf8'), ['subflows', sid]), key: `subflows.${sid}`, message: `the flow file ${name} does not exist` }]);
    }
    const text = fs.readFileSync(subflowFile, 'utf8');
    return { sid, file: name, text, definition: checkFlow(text, name) };
  });
}

/** A suite from texts (the API keeps the test file with the flow, not on disk). */
export function suiteFromTexts(file: string, flowFile: string, spec: Suite['spec'], flowText: string): Suite {
  return { file, flowFile, flowText, definition: checkFlow(flowText, flowFile), spec };
}

/** The flow must be Flow JSON that would publish: its problems are the test file's. */
function checkFlow(text: string, file: string): FlowDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FlowTestFileError([{ file, line: 1, key: '', message: `not JSON: ${(err as Error).message}` }]);
  }
  const validation = validateFlow(parsed);
  if (!validation.valid || !validation.definition) {
    const problems: FileProblem[] = validation.errors.map((issue) => {
      const keys = pointerSegments(issue.property_path);
      return { file, line: lineOfKey(text, keys), key: keys.join('.') || '#', message: `${issue.message} (the flow does not validate)` };
    });
    throw new FlowTestFileError(problems);
  }
  return validation.definition;
}

/** The line of a key path in a YAML or JSON text (JSON is YAML), or of its nearest parent. */
function lineOfKey(text: string, keys: readonly (string | number)[]): number {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  let node: unknown = doc.contents;
  let line = 1;
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      const range = (pair.key as Node | null)?.range;
      if (range) line = lines.linePos(range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      const range = (node as Node | undefined)?.range;
      if (range) line = lines.linePos(range[0]).line;
    } else break;
  }
  return line;
}
