import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatGithub, formatText, lintFile, lintPaths } from '../../src/cli/flows/lint';
import { formatFlowFile } from '../../src/flow/flow-file';
import { CORPUS_DIR } from '../helpers/corpus';

/** `open-studio flows lint` places each finding on its line, in a flow file or a bare export. */
describe('flows lint: findings in their files', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-lint-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const corpusFile = path.join(CORPUS_DIR, '015-ca-regulatory-voice-flow.json');

  it("places the validator's error at the key it names in a bare Studio export", () => {
    const text = fs.readFileSync(corpusFile, 'utf8');
    const errors = lintFile(corpusFile).filter((f) => f.severity === 'error');
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toMatchObject({ pointer: '#/states/16/transitions/1/next', code: 'transition:unknown-target' });
    const line = text.split('\n')[error!.line - 1]!;
    expect(line.slice(error!.column - 1)).toMatch(/^"next": "Goodbye"/);
  });

  it('places it under /definition in a flow file of flows pull, on the line the formatter wrote', () => {
    const file = path.join(scratch, 'regulatory.json');
    const text = formatFlowFile({ sid: 'FW00000000000000000000000000000015', friendly_name: 'Regulatory', status: 'draft', revision: 1, test_users: [], definition: JSON.parse(fs.readFileSync(corpusFile, 'utf8')) });
    fs.writeFileSync(file, text);
    const [error] = lintFile(file).filter((f) => f.severity === 'error');
    expect(error).toMatchObject({ pointer: '#/definition/states/16/transitions/1/next' });
    expect(text.split('\n')[error!.line - 1]!.trim()).toBe('"next": "Goodbye",');
    expect(formatText({ files: 1, findings: [error!] })).toBe(
      `${path.relative(process.cwd(), file)}:${error!.line}:${error!.column}: error transition to "Goodbye", which is not a widget of this flow [transition:unknown-target] #/definition/states/16/transitions/1/next`,
    );
  });

  it('reports a file that is not JSON at the place it breaks', () => {
    const file = path.join(scratch, 'broken.json');
    fs.writeFileSync(file, '{\n  "description": "x",\n  "states": [,]\n}\n');
    expect(lintFile(file)).toEqual([expect.objectContaining({ severity: 'error', code: 'file:not-json', line: 3, column: 14 })]);
  });

  it('writes GitHub annotations with their data escaped', () => {
    const finding = { file: 'flows/a,b.json', severity: 'warning' as const, pointer: '#/states/1', line: 7, column: 5, code: 'lint:x', message: '50% done\nnext line' };
    expect(formatGithub({ files: 1, findings: [finding] })).toBe('::warning file=flows/a%2Cb.json,line=7,col=5,title=lint%3Ax::50%25 done%0Anext line (#/states/1)');
  });

  it('lints a folder file by file, in name order', () => {
    const report = lintPaths([scratch]);
    expect(report.files).toBe(2);
    expect([...new Set(report.findings.map((f) => path.basename(f.file)))]).toEqual(['broken.json', 'regulatory.json']);
  });
});
