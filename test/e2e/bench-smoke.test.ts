import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { buildProject } from '../helpers/build';

const root = path.resolve(__dirname, '../..');
/** Every scenario of bench/run.ts, in its order: a scenario added there and not here fails below. */
const SCENARIOS = ['liquid', 'insights', 'history', 'rest', 'sms', 'calls', 'parked', 'cluster-rest', 'cluster-sms'];

/**
 * `npm run bench` is run now and then, so it rots unseen (a limit that landed after its last run
 * stopped it at the REST scenario with a 429). Here every scenario runs with a few of each
 * (`--smoke`): only that each completes is asserted — the figures are the bench's own business.
 */
describe('npm run bench -- --smoke', () => {
  it('runs every scenario to the end, on the dev server and on the cluster', async () => {
    buildProject();
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json'], { cwd: root, stdio: 'inherit' });
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/bench/run.js', '--smoke'], { cwd: root, env: process.env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', (exit) => resolve({ code: exit, output }));
    });
    if (code !== 0) throw new Error(`the bench exited ${code}:\n${output.slice(-4_000)}`);
    expect(output).toContain(`bench: smoke run of ${SCENARIOS.join(', ')}\n`);
    expect(SCENARIOS.filter((s) => !new RegExp(`^bench: ${s} took \\d+ s$`, 'm').test(output))).toEqual([]);
    expect(output).toContain('bench: smoke run: every scenario completed');
  }, 900_000);
});
