// Lints code samples with the project's real ESLint config, as if they lived at given paths.
// Runs outside Jest's module sandbox, which cannot load ESLint's ESM config. Type-aware rules
// need real files, so each sample is written next to the code it pretends to be, linted and
// removed again. Input: JSON [{file, code}] on stdin; output: JSON [[message, ...], ...].
import { ESLint } from 'eslint';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const samples = JSON.parse(input).map((s, i) => ({ ...s, path: path.join(root, s.file.replace(/\.ts$/, `.lint-probe-${process.pid}-${i}.ts`)) }));
const eslint = new ESLint({ cwd: root });
// Folders a sample needs that do not exist are made for it, and removed with it.
const made = [...new Set(samples.map((s) => path.dirname(s.path)))].filter((dir) => !fs.existsSync(dir));
try {
  for (const dir of made) fs.mkdirSync(dir, { recursive: true });
  for (const s of samples) fs.writeFileSync(s.path, s.code);
  const results = await eslint.lintFiles(samples.map((s) => s.path));
  const byPath = new Map(results.map((r) => [r.filePath, r.messages]));
  const out = samples.map((s) => (byPath.get(s.path) ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`));
  process.stdout.write(JSON.stringify(out));
} finally {
  for (const s of samples) fs.rmSync(s.path, { force: true });
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
}
