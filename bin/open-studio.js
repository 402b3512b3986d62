#!/usr/bin/env node
'use strict';
// The `open-studio` command. It runs the compiled program in dist/; a checkout that was never
// built (a fresh clone after `npm install`) is compiled once first.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('open-studio: compiling the package once (tsc -p tsconfig.build.json, the workflow bundle)…\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'dist', 'scripts', 'bundle-workflows.js')], { cwd: root, stdio: 'inherit' });
}
require(entry).program().parseAsync(process.argv).catch((err) => {
  process.stderr.write(`open-studio: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
