import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/temporal/worker';

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
  });
});
