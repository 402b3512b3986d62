import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Driving the Temporal UI (checked against UI 2.54.1, the one `temporal` CLI 1.9.1 embeds) in
 * the machine's own headless Chromium: Playwright's browser downloads need the internet.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package (apt-get install chromium; .ci/run does it) ` +
        'or point CHROMIUM_PATH at a Chromium binary. (`npx playwright install` needs the internet and is not used.)',
    );
  }
  // Signals stay with the caller, which closes the browser itself as part of its own clean-up.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox'], handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}

/** The workflows list filtered by a visibility query, e.g. `FlowSid="FW…"`. */
export function workflowsUrl(uiUrl: string, query?: string, namespace = 'default'): string {
  const list = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows`;
  return query === undefined ? list : `${list}?query=${encodeURIComponent(query)}`;
}

/** How the UI links an execution: the workflow ID is one path segment, `:` and `+` escaped. */
function executionPath(workflowId: string, namespace = 'default'): string {
  return `/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/`;
}

const WORKFLOW_ID_TEXT = /^FW[0-9a-f]{32}:\S+$/;

/**
 * Opens the list for `query`, waits until every `expected` workflow ID is shown, and returns
 * all the execution workflow IDs the list shows.
 */
export async function listWorkflows(page: Page, uiUrl: string, query: string | undefined, expected: readonly string[]): Promise<string[]> {
  await page.goto(workflowsUrl(uiUrl, query));
  for (const id of expected) await page.getByRole('link', { name: id, exact: true }).first().waitFor({ timeout: 30_000 });
  const texts = await page.getByRole('link').allInnerTexts();
  return texts.map((t) => t.trim()).filter((t) => WORKFLOW_ID_TEXT.test(t));
}

/**
 * From the list on screen, follows the workflow ID's link to the execution and shows its event
 * history. Returns the run ID the UI opened.
 */
export async function openExecution(page: Page, uiUrl: string, workflowId: string): Promise<string> {
  await page.getByRole('link', { name: workflowId, exact: true }).first().click();
  const prefix = executionPath(workflowId);
  await page.waitForURL((url) => url.pathname.startsWith(prefix) && url.pathname.length > prefix.length, { timeout: 30_000 });
  const runId = new URL(page.url()).pathname.slice(prefix.length).split('/')[0]!;
  // The default tab differs between UI versions; ask for the event history by its URL.
  await page.goto(`${uiUrl}${prefix}${runId}/history`);
  await page.getByText('Workflow Execution Started').first().waitFor({ timeout: 30_000 });
  return runId;
}

/**
 * Adds our search attributes as list columns (a UI preference kept in localStorage), so the
 * list shows each execution's contact and current widget. Best effort: should a UI version keep
 * its columns elsewhere, the list simply shows its default columns.
 */
export async function showExecutionColumns(context: BrowserContext, namespace = 'default'): Promise<void> {
  const labels = ['Status', 'Workflow ID', 'ContactAddress', 'CurrentWidget', 'StepCount'];
  const value = JSON.stringify({ [namespace]: labels.map((label) => ({ label })) });
  const key = JSON.stringify('namespace-workflow-table-columns');
  // A script string: it runs in the page, where this project's (DOM-less) types do not reach.
  await context.addInitScript({ content: `if (localStorage.getItem(${key}) === null) localStorage.setItem(${key}, ${JSON.stringify(value)});` });
}

/**
 * Grows the viewport (up to `maxHeight`) until the UI's scrolling content area fits, so one
 * picture shows the whole page: the UI scrolls inside #content-wrapper, which a full-page
 * screenshot does not unroll. Without that element the viewport stays as it is.
 */
export async function fitViewportToContent(page: Page, maxHeight = 2400): Promise<void> {
  const overflowScript = `(() => { const e = document.getElementById('content-wrapper'); return e ? e.scrollHeight - e.clientHeight : 0; })()`;
  // Growing the viewport can re-flow the page; a few rounds settle it.
  for (let round = 0; round < 3; round++) {
    const overflow = Number(await page.evaluate(overflowScript));
    const size = page.viewportSize();
    if (!size || !(overflow > 0) || size.height >= maxHeight) return;
    await page.setViewportSize({ width: size.width, height: Math.min(maxHeight, size.height + overflow) });
  }
}
