import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The architecture, checked by ESLint: the pure core (workflows/, src/flow, src/engine,
 * src/widgets) never imports Node built-ins or Node-only code (it runs in Temporal's sandbox and
 * in the browser); src/flow never imports the engine or the widgets, the engine never the
 * widgets, the store never Event Streams; Event Streams, observability and failpoints never the
 * layers that use them; the editor only the flow core, from any depth. These cases prove each
 * rule bites where it should and nowhere else.
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
  'the flow-test runner in the engine': {
    file: 'src/engine/probe.ts',
    code: "import { startRig } from '../flowtest/rig';\nexport const x = startRig;\n",
    expected: /Node-only project code/,
  },
  'the cluster launcher in workflows/': {
    file: 'workflows/probe.ts',
    code: "import { startLocalPostgres } from '../src/cluster/postgres';\nexport const x = startLocalPostgres;\n",
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
  'server code from a file deeper in the editor': {
    file: 'web/src/editor/deeper/probe.ts',
    code: "import { ApiError } from '../../../../src/api/errors';\nexport const x = ApiError;\n",
    expected: /only the pure flow core/,
  },
  'workflow code from the editor\'s top folder': {
    file: 'web/src/probe.ts',
    code: "import type { FlowExecutionInput } from '../../workflows/execution-input';\nexport type X = FlowExecutionInput;\n",
    expected: /only the pure flow core/,
  },
  'the flow core from a file deeper in the editor': { file: 'web/src/editor/deeper/probe.ts', code: "import { WIDGET_SPECS } from '../../../../src/flow/widgets';\nexport const x = WIDGET_SPECS;\n" },
  'the editor\'s own folders': { file: 'web/src/editor/deeper/probe.ts', code: "import { ApiError } from '../../api/client';\nexport const x = ApiError;\n" },
  'the engine in src/flow': { file: 'src/flow/probe.ts', code: "import { runExecution } from '../engine/run';\nexport const x = runExecution;\n", expected: /never imports the engine/ },
  'widget behaviours in src/flow': { file: 'src/flow/widgets/probe.ts', code: "import { WIDGETS } from '../../widgets';\nexport const x = WIDGETS;\n", expected: /never imports the widget behaviours/ },
  'src/flow\'s own widget specs from a folder of src/flow': { file: 'src/flow/lint/probe.ts', code: "import { WIDGET_SPECS } from '../widgets';\nexport const x = WIDGET_SPECS;\n" },
  'widget behaviours from a folder of src/flow': { file: 'src/flow/lint/probe.ts', code: "import { WIDGETS } from '../../widgets';\nexport const x = WIDGETS;\n", expected: /never imports the widget behaviours/ },
  'the engine from a folder of src/flow': { file: 'src/flow/lint/probe.ts', code: "import { runExecution } from '../../engine/run';\nexport const x = runExecution;\n", expected: /never imports the engine/ },
  'src/flow\'s own widget specs': { file: 'src/flow/probe.ts', code: "import { WIDGET_SPECS } from './widgets';\nexport const x = WIDGET_SPECS;\n" },
  'widgets in the engine': { file: 'src/engine/probe.ts', code: "import { WIDGETS } from '../widgets';\nexport const x = WIDGETS;\n", expected: /engine never imports widgets/ },
  'the flow core in the engine': { file: 'src/engine/probe.ts', code: "import { WIDGET_SPECS } from '../flow/widgets';\nexport const x = WIDGET_SPECS;\n" },
  'Event Streams in the store': {
    file: 'src/store/probe.ts',
    code: "import { sinkConfigurationTakesFlow } from '../events/sink-config';\nexport const x = sinkConfigurationTakesFlow;\n",
    expected: /store never imports Event Streams/,
  },
  'the services in Event Streams': { file: 'src/events/probe.ts', code: "import { FlowService } from '../services/flows';\nexport const x = FlowService;\n", expected: /never import the layers that use them/ },
  'the API in observability': { file: 'src/observability/probe.ts', code: "import { ApiError } from '../api/errors';\nexport const x = ApiError;\n", expected: /never import the layers that use them/ },
  'Temporal in the failpoints': { file: 'src/faults/probe.ts', code: "import { startWorker } from '../temporal/worker';\nexport const x = startWorker;\n", expected: /never import the layers that use them/ },
  'the store in Event Streams': { file: 'src/events/probe.ts', code: "import { EventOutbox } from '../store/event-outbox';\nexport const x = EventOutbox;\n" },
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
