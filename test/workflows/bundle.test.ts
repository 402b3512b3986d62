import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import ts from 'typescript';
import { WORKFLOWS_PATH } from '../../src/temporal/worker';
import { PRELOADED_WORKFLOW_MODULES, workflowBundlerOptions } from '../../src/temporal/workflow-bundle';

const ROOT = path.join(__dirname, '../..');

/** The project modules a workflow file imports for their values (type-only imports leave no code). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
    const typesOnly = clause?.isTypeOnly || (!clause?.name && named !== undefined && named.every((e) => e.isTypeOnly));
    if (!typesOnly && statement.moduleSpecifier.text.startsWith('.')) found.push(require.resolve(path.resolve(path.dirname(file), statement.moduleSpecifier.text)));
  }
  return found;
}

/**
 * The bundler swaps disallowed modules for empty stubs and only reports webpack warnings in
 * its log, so a Node-only import in workflow code could ship silently. This test makes any
 * bundler warning or error fail the build.
 */
describe('workflow bundle', () => {
  it('bundles the workflow code with no warnings', async () => {
    const problems: string[] = [];
    const logged = (level: string) => (message: string) => {
      if (level === 'warn' || level === 'error') problems.push(`${level}: ${message}`);
    };
    const bundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      ...workflowBundlerOptions(),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: logged('warn'), error: logged('error') },
      webpackConfigHook: (config) => ({
        ...config,
        plugins: [
          ...(config.plugins ?? []),
          {
            apply: (compiler) =>
              compiler.hooks.done.tap('collect-warnings', (stats) => {
                for (const w of stats.compilation.warnings) problems.push(`webpack warning: ${w.message}`);
                for (const e of stats.compilation.errors) problems.push(`webpack error: ${e.message}`);
              }),
          },
        ],
      }),
    });
    expect(problems).toEqual([]);
    expect(bundle.code).toContain('flowExecution');
    // Each shared module is required by the bundle's preload step, which the worker runs once per thread.
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(bundle.code)?.[1] ?? '';
    for (const file of PRELOADED_WORKFLOW_MODULES) {
      expect(preload).toContain(`"./${path.relative(ROOT, file).split(path.sep).join('/')}"`);
    }
  });

  it('shares every module of src/ the workflows use, so no execution evaluates its own copy', () => {
    const workflowsDir = path.join(ROOT, 'workflows');
    const used = fs.readdirSync(workflowsDir).filter((f) => f.endsWith('.ts')).flatMap((f) => valueImports(path.join(workflowsDir, f)));
    const fromSrc = [...new Set(used.filter((file) => path.relative(ROOT, file).startsWith(`src${path.sep}`)))].sort();
    expect(fromSrc.length).toBeGreaterThan(5);
    expect(fromSrc.filter((file) => !PRELOADED_WORKFLOW_MODULES.includes(file))).toEqual([]);
    expect(PRELOADED_WORKFLOW_MODULES.filter((file) => !fromSrc.includes(file))).toEqual([]);
  });
});
