import fs from 'node:fs';
import path from 'node:path';

/**
 * The project's root folder (the one holding package.json), found from this file so it is the
 * same whether the code runs from `src/` (tests) or `dist/src/` (npm start).
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'workflows'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = parent;
  }
}

/** Project-local tools installed on demand (the Temporal CLI). Ignored by git. */
export function toolsDir(): string {
  return path.join(projectRoot(), '.tools');
}
