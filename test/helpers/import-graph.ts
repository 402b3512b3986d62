import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The project's import graph from its sources (relative imports, type-only ones included: a
 * type cycle is a cycle of understanding), by file and by folder, and its cycles.
 */
export interface ImportGraph {
  /** `from -> to` edges, each with the import lines that make it. */
  readonly edges: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // Not the probe files test/lint/boundaries.test.ts writes next to real code for a moment.
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !entry.name.includes('.lint-probe-')) files.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return files.sort();
}

/** The graph of `files`, each node named by `unitOf` (a file's own path, or its folder). */
export function importGraph(root: string, files: readonly string[], unitOf: (relativePath: string) => string): ImportGraph {
  const edges = new Map<string, Map<string, string[]>>();
  for (const file of files) {
    const from = path.relative(root, file);
    for (const imported of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), imported.fileName);
      const target = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
      if (!target) continue;
      const to = path.relative(root, target);
      const [a, b] = [unitOf(from), unitOf(to)];
      if (a === b) continue;
      const out = edges.get(a) ?? new Map<string, string[]>();
      out.set(b, [...(out.get(b) ?? []), `${from} imports ${to}`]);
      edges.set(a, out);
    }
  }
  return { edges };
}

/** Every strongly connected set of more than one node (Tarjan), each with the edges inside it. */
export function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.edges.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  const nodes = new Set([...graph.edges.keys(), ...[...graph.edges.values()].flatMap((m) => [...m.keys()])]);
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** A cycle with the imports that close it, for a failure message. */
export function describeCycle(graph: ImportGraph, members: readonly string[]): string {
  const inside = new Set(members);
  const lines = members.flatMap((from) => [...(graph.edges.get(from) ?? new Map<string, readonly string[]>())].filter(([to]) => inside.has(to)).map(([to, why]) => `  ${from} -> ${to}: ${why[0]}${why.length > 1 ? ` (+${why.length - 1})` : ''}`));
  return [`cycle: ${members.join(', ')}`, ...lines].join('\n');
}
