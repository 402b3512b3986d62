import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../helpers/cli';
import { CORPUS_DIR, corpusFiles } from '../helpers/corpus';

/**
 * `open-studio flows lint` over the 79 real Studio exports, as CI runs it: no server, findings on
 * their lines, exit 1 only for errors (one corpus flow has a real one), GitHub annotations.
 */
describe('open-studio flows lint over the corpus', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-lint-corpus-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('finds the one real error and exits 1; the rest has warnings only and exits 0', async () => {
    const all = await cli(['flows', 'lint', CORPUS_DIR]);
    // The findings per rule, for the record.
    console.log(all.stderr);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/^79 flow file\(s\): 1 error\(s\), \d+ warning\(s\) — /);
    const errors = all.stdout.split('\n').filter((l) => / error /.test(l));
    expect(errors).toEqual([expect.stringMatching(/015-ca-regulatory-voice-flow\.json:\d+:\d+: error transition to "Goodbye", which is not a widget of this flow \[transition:unknown-target\]/)]);

    for (const file of corpusFiles().filter((f) => !f.startsWith('015-'))) fs.copyFileSync(path.join(CORPUS_DIR, file), path.join(scratch, file));
    const rest = await cli(['flows', 'lint', scratch]);
    expect(rest.code).toBe(0);
    expect(rest.stderr).toMatch(/^78 flow file\(s\): 0 error\(s\), [1-9]\d* warning\(s\)/);
    expect((await cli(['flows', 'lint', scratch, '--max-warnings', '0'])).code).toBe(1);
  });

  it('writes one GitHub annotation per finding', async () => {
    const text = await cli(['flows', 'lint', CORPUS_DIR]);
    const github = await cli(['flows', 'lint', CORPUS_DIR, '--format', 'github']);
    const lines = github.stdout.trim().split('\n');
    expect(lines).toHaveLength(text.stdout.trim().split('\n').length);
    expect(lines.every((l) => /^::(warning|error) file=[^,]+,line=\d+,col=\d+,title=[^:]+::/.test(l))).toBe(true);
  });
});
