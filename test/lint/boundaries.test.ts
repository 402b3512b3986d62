import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The pure core (workflows/, src/flow, src/engine, src/widgets) must not import Node built-ins
 * or Node-only code: it runs in Temporal's sandbox and later in the browser. ESLint enforces
 * it; these cases prove the rule bites where it should and nowhere else.
 */
interface Sample {
  readonly file: string;
  readonly code: string;
  /** What the errors must mention; undefined means the sample must lint clean. */
  readonly expected?: RegExp;
}

const nodeFs = "import fs from 'node:fs';\nexport const x = fs;\n";

const samples: Record<string, Sample> = {
  'a Node built-in in workflows/': { file: 'workflows/probe.ts', code: nodeFs, expected: /Node built-ins are not allowed/ },
  'a Node built-in in src/engine': { file: 'src/engine/probe.ts', code: nodeFs, expected: /Node built-ins are not allowed/ },
  'a Node built-in in src/widgets': { file: 'src/widgets/probe.ts', code: nodeFs, expected: /Node built-ins are not allowed/ },
  'a Node built-in in src/flow': { file: 'src/flow/probe.ts', code: nodeFs, expected: /Node built-ins are not allowed/ },
  'a bare built-in name': {
    file: 'workflows/probe.ts',
    code: "import crypto from 'crypto';\nexport const x = crypto;\n",
    expected: /Node built-ins are not allowed/,
  },
  'a Node-only package': {
    file: 'workflows/probe.ts',
    code: "import { Client } from '@temporalio/client';\nexport const x = Client;\n",
    expected: /Node-only packages/,
  },
  'Node-only project code': {
    file: 'src/engine/probe.ts',
    code: "import { openDatabase } from '../store/database';\nexport const x = openDatabase;\n",
    expected: /Node-only project code/,
  },
  'the process global': { file: 'src/engine/probe.ts', code: 'export const x = process.env.X;\n', expected: /process is Node-only/ },
  'Math.random': { file: 'src/widgets/probe.ts', code: 'export const x = Math.random();\n', expected: /Randomness must come from the engine host/ },
  'a value import from activities/': {
    file: 'workflows/probe.ts',
    code: "import { createActivities } from '../activities';\nexport const x = createActivities;\n",
    expected: /only types from activities/,
  },
  'a type import from activities/': { file: 'workflows/probe.ts', code: "import type { Activities } from '../activities';\nexport type X = Activities;\n" },
  'a Node built-in in src/api': { file: 'src/api/probe.ts', code: nodeFs },
  'a Node built-in in the editor': { file: 'web/src/editor/probe.ts', code: nodeFs, expected: /runs in the browser/ },
  'server code in the editor': {
    file: 'web/src/editor/probe.ts',
    code: "import { ApiError } from '../../../src/api/errors';\nexport const x = ApiError;\n",
    expected: /only the pure flow core/,
  },
  'the engine in the editor': {
    file: 'web/src/editor/probe.ts',
    code: "import { runExecution } from '../../../src/engine/run';\nexport const x = runExecution;\n",
    expected: /only the pure flow core/,
  },
  'the flow core in the editor': { file: 'web/src/editor/probe.ts', code: "import { WIDGET_SPECS } from '../../../src/flow/widgets';\nexport const x = WIDGET_SPECS;\n" },
};

function lintAll(list: readonly Sample[]): string[][] {
  const script = path.join(__dirname, 'lint-texts.mjs');
  const output = execFileSync(process.execPath, [script], { input: JSON.stringify(list), encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(output) as string[][];
}

describe('import boundaries (ESLint)', () => {
  const names = Object.keys(samples);
  let results: Record<string, string[]>;
  beforeAll(() => {
    const out = lintAll(names.map((n) => samples[n]!));
    results = Object.fromEntries(names.map((n, i) => [n, out[i]!]));
  });

  it.each(names.filter((n) => samples[n]!.expected))('refuses %s', (name) => {
    expect(results[name]!.join('\n')).toMatch(samples[name]!.expected!);
  });

  it.each(names.filter((n) => !samples[n]!.expected))('allows %s', (name) => {
    expect(results[name]).toEqual([]);
  });
});
