import fs from 'node:fs';
import path from 'node:path';

/**
 * The project's root folder (the one holding package.json), found from this file so it is the
 * same whether the code runs from `src/` (tests) or `dist/src/` (npm start).
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (isProjectManifest(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = parent;
  }
}

const PACKAGE_NAME = 'open-studio';

function isProjectManifest(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Project-local tools installed on demand (the Temporal CLI). Ignored by git. */
export function toolsDir(): string {
  return path.join(projectRoot(), '.tools');
}

/** The project's version, from package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** The built editor (`npm run build` puts it there), served by the API at `/`. */
export function webDir(): string {
  return path.join(projectRoot(), 'dist', 'web');
}
