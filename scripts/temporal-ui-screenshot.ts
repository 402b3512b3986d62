import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../src/config/paths';
import { allOf, keywordIs } from '../src/temporal/visibility-query';
import { CurrentWidget, FlowSid } from '../workflows/search-attributes';
import { createDemo, WAITING_WIDGET } from './temporal-ui/demo';
import { fitViewportToContent, launchChromium, listWorkflows, openExecution, showExecutionColumns } from './temporal-ui/browser';
import { startStack, type Stack } from './temporal-ui/stack';
import { visibilityCounts } from './temporal-ui/visibility';

/**
 * `npm run screenshot:temporal-ui`: the README's Temporal UI images, taken from a real run.
 * Starts the whole app in a throwaway DATA_DIR, publishes two flows, starts executions through
 * the REST API, filters the Temporal UI's workflow list by one flow, opens one execution, and
 * saves both views into docs/images/. Everything it started is stopped at the end.
 */
const IMAGES = path.join(projectRoot(), 'docs/images');

async function main(): Promise<void> {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const cleanUp = async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  };
  // Ctrl-C must not leave the app (and its Temporal server) running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    log('starting the app (embedded Temporal with its UI, worker, API)…');
    stack = await startStack({ temporalCliPath: process.env.TEMPORAL_CLI_PATH || undefined });
    log(`Temporal UI at ${stack.uiUrl}; creating flows and executions…`);
    const demo = await createDemo(stack);
    const query = keywordIs(FlowSid, demo.flowSid);
    // Workflow code that upserts CurrentWidget fills the list's column; older code never does.
    if (!(await visibilityCounts(stack.temporalAddress, allOf(query, keywordIs(CurrentWidget, WAITING_WIDGET)), demo.executions.length))) {
      log(`note: visibility shows no CurrentWidget="${WAITING_WIDGET}" for these executions; that column stays empty`);
    }
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 800 }, timezoneId: 'UTC', locale: 'en-US' });
    await showExecutionColumns(context);
    const page = await context.newPage();

    const listed = await listWorkflows(page, stack.uiUrl, query, demo.executions.map((e) => e.workflowId));
    const strays = listed.filter((id) => !id.startsWith(`${demo.flowSid}:`));
    if (strays.length > 0) throw new Error(`the list filtered by ${query} shows other flows' executions: ${strays.join(', ')}`);
    fs.mkdirSync(IMAGES, { recursive: true });
    await save(page, 'temporal-ui-executions-by-flow.png');

    const first = demo.executions[0]!;
    const runId = await openExecution(page, stack.uiUrl, first.workflowId);
    // Taller, so the summary, the input and the whole event history fit in one picture.
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    await fitViewportToContent(page);
    await save(page, 'temporal-ui-execution.png');
    log(`done: ${query} listed ${listed.length} executions; opened ${first.workflowId} (run ${runId})`);
  } finally {
    await cleanUp();
  }
}

async function save(page: Page, name: string): Promise<void> {
  // Let late requests (counts, badges) settle so the picture is complete; the UI's auto-refresh
  // may never let the network go idle, hence the short bound.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  const file = path.join(IMAGES, name);
  await page.screenshot({ path: file });
  log(`saved ${path.relative(projectRoot(), file)}`);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshot failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
