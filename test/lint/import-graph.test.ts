import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cycles, describeCycle, importGraph, sourceFiles } from '../helpers/import-graph';

/**
 * The server code's import graph has no cycle, between folders (each folder of src/, and
 * workflows/ and activities/, as one node) or between files: every layer can be read, tested
 * and moved on its own.
 */
const ROOT = path.join(__dirname, '../..');
const DIRS = ['src', 'workflows', 'activities'];

/** `src/store/flow-store.ts` → `src/store`; a file directly in src/ is its own node. */
function folderOf(file: string): string {
  const parts = file.split(path.sep);
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length > 2 ? `src/${parts[1]}` : file.replace(/\.tsx?$/, '');
}

describe('the import graph', () => {
  const files = sourceFiles(ROOT, DIRS);

  it('has no cycle between folders', () => {
    const graph = importGraph(ROOT, files, folderOf);
    expect(graph.edges.size).toBeGreaterThan(10);
    expect(cycles(graph).map((c) => describeCycle(graph, c))).toEqual([]);
  });

  it('has no cycle between files', () => {
    const graph = importGraph(ROOT, files, (file) => file);
    expect(cycles(graph).map((c) => describeCycle(graph, c))).toEqual([]);
  });

  it('finds a cycle when there is one (type-only imports count)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-'));
    try {
      fs.mkdirSync(path.join(dir, 'src/a'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'src/b'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'src/c'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src/a/one.ts'), "import { two } from '../b/two';\nexport const one = two;\n");
      fs.writeFileSync(path.join(dir, 'src/b/two.ts'), "export const two = 2;\n");
      fs.writeFileSync(path.join(dir, 'src/c/index.ts'), "import type { one } from '../a/one';\nexport type Four = typeof one;\n");
      const graph = importGraph(dir, sourceFiles(dir, ['src']), folderOf);
      expect(cycles(graph)).toEqual([]);
      fs.writeFileSync(path.join(dir, 'src/b/three.ts'), "import type { Four } from '../c';\nexport type Three = Four;\n");
      fs.writeFileSync(path.join(dir, 'src/b/two.ts'), "import type { Three } from './three';\nexport const two = 2;\nexport type T = Three;\n");
      const again = importGraph(dir, sourceFiles(dir, ['src']), folderOf);
      expect(cycles(again)).toEqual([['src/a', 'src/b', 'src/c']]);
      expect(describeCycle(again, ['src/a', 'src/b', 'src/c'])).toContain('src/c -> src/a: src/c/index.ts imports src/a/one.ts');
      expect(cycles(importGraph(dir, sourceFiles(dir, ['src']), (f) => f))).toEqual([['src/a/one.ts', 'src/b/three.ts', 'src/b/two.ts', 'src/c/index.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
