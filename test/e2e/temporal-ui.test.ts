import type { Browser, Page } from 'playwright-core';
import { buildProject } from '../helpers/build';
import { launchChromium, listWorkflows, openExecution } from '../../scripts/temporal-ui/browser';
import { createDemo, type Demo } from '../../scripts/temporal-ui/demo';
import { startStack, type Stack } from '../../scripts/temporal-ui/stack';

/**
 * The Temporal UI of `npm start`, in headless Chromium: a visibility query on our FlowSid search
 * attribute lists exactly that flow's executions, and an execution opens from the list. A
 * missing Chromium fails the test (launchChromium says what to install) — it never skips.
 */

describe('finding executions in the Temporal UI', () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let demo: Demo;
  let page: Page;

  beforeAll(async () => {
    // Chromium first: without it there is no point starting the app.
    browser = await launchChromium();
    buildProject();
    stack = await startStack({ temporalCliPath: process.env.TEST_TEMPORAL_CLI_PATH });
    demo = await createDemo(stack);
    page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const ids = (executions: Demo['executions']) => executions.map((e) => e.workflowId).sort();

  it('lists every execution without a query, both flows', async () => {
    // The unfiltered baseline: the other flow's executions are there to be filtered out.
    const all = await listWorkflows(page, stack!.uiUrl, undefined, [...ids(demo.executions), ...ids(demo.otherExecutions)]);
    expect(all.sort()).toEqual([...ids(demo.executions), ...ids(demo.otherExecutions)].sort());
  });

  it('lists exactly one flow\'s executions for FlowSid="FW…"', async () => {
    const listed = await listWorkflows(page, stack!.uiUrl, `FlowSid="${demo.flowSid}"`, ids(demo.executions));
    expect(listed.sort()).toEqual(ids(demo.executions));
    for (const other of demo.otherExecutions) expect(listed).not.toContain(other.workflowId);
  });

  it('narrows further by contact with ContactAddress', async () => {
    const [one] = demo.executions;
    const listed = await listWorkflows(page, stack!.uiUrl, `FlowSid="${demo.flowSid}" AND ContactAddress="${one!.contact}"`, [one!.workflowId]);
    expect(listed).toEqual([one!.workflowId]);
  });

  it('opens an execution from the filtered list: its workflow ID and history', async () => {
    const target = demo.executions[1]!;
    await listWorkflows(page, stack!.uiUrl, `FlowSid="${demo.flowSid}"`, ids(demo.executions));
    const runId = await openExecution(page, stack!.uiUrl, target.workflowId);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(page.locator('h1').filter({ hasText: target.workflowId }).count()).resolves.toBe(1);
    // The history shows this execution's own start summary, with its Execution SID.
    await page.getByText(target.executionSid).first().waitFor({ timeout: 15_000 });
  });
});
