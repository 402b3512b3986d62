import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import { buildEditor } from '../helpers/build';
import { FLOWTEST_FIXTURES } from '../helpers/flowtests';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { openFlow, screenshotPath, signIn, watchConsole, widget } from './editor-kit';

/**
 * Flow tests in the editor, in headless Chromium against the real API and worker: a simulator
 * conversation saved as a test, run green, the flow broken in the Inspector, run red with the
 * failing step, and the run's coverage on the canvas.
 */
describe('the Tests panel', () => {
  let browser: Browser;
  let rig: MessagingRig;
  let page: Page;
  let errors: string[];
  let sid: string;

  beforeAll(async () => {
    browser = await launchChromium();
    buildEditor();
    rig = await startMessagingRig();
    sid = await rig.publish(JSON.parse(fs.readFileSync(path.join(FLOWTEST_FIXTURES, 'survey.json'), 'utf8')));
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    errors = watchConsole(page);
    await signIn(page, rig.api.url, rig.account);
    await openFlow(page, rig.api.url, sid, 5);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });
  afterEach(() => expect(errors.splice(0)).toEqual([]));

  const summary = () => page.getByTestId('tests-summary');

  it('saves a simulator conversation as a test', async () => {
    await page.getByRole('tab', { name: 'Simulator' }).click();
    const message = page.getByLabel('Message', { exact: true });
    await message.fill('hi');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('sim-message').filter({ hasText: 'What is your name?' }).waitFor();
    await message.fill('Ada');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('sim-message').filter({ hasText: 'Hello Ada' }).waitFor();
    await page.getByTestId('sim-execution-status').filter({ hasText: 'ended' }).waitFor();
    await page.getByRole('button', { name: 'Save as test' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Saved the conversation as the test "Simulator conversation 1"' }).waitFor();
    const kept = (await (await rig.api.request(`/v2/Flows/${sid}/Tests`)).json()) as { tests: string };
    expect(kept.tests).toContain('name: Simulator conversation 1');
    expect(kept.tests).toContain('message: hi');
    expect(kept.tests).toContain('message: What is your name?');
    expect(kept.tests).toContain('send: Ada');
    expect(kept.tests).toContain('message: Hello Ada');
  }, 120_000);

  it('runs it green and shows coverage on the canvas', async () => {
    await page.getByRole('tab', { name: 'Tests' }).click();
    await page.getByRole('textbox', { name: 'Tests (YAML)' }).filter({ hasText: 'Simulator conversation 1' }).waitFor();
    await page.getByRole('button', { name: 'Run tests' }).click();
    await summary().filter({ hasText: '1 passed, 0 failed' }).waitFor({ timeout: 90_000 });
    await page.getByTestId('test-result').filter({ hasText: '✓ Simulator conversation 1' }).waitFor();
    await page.getByTestId('path-banner').filter({ hasText: 'test coverage: widgets 4/5 (80 %)' }).waitFor();
    for (const name of ['Trigger', 'ask', 'greet', 'save']) await widget(page, name).locator('.widget.visited').waitFor();
    expect(await widget(page, 'bye').locator('.widget.visited').count()).toBe(0);
    expect(await page.locator('.react-flow__edge.taken').count()).toBe(3);
    await page.screenshot({ path: screenshotPath('editor-tests-green.png') });
  }, 120_000);

  it('fails once the flow is broken, naming the step with expected and actual', async () => {
    await page.getByTestId('path-banner').getByRole('button', { name: 'Clear' }).click();
    await widget(page, 'greet').click();
    await page.getByLabel('Message Body', { exact: true }).fill('Goodbye {{widgets.ask.inbound.Body}}');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Draft saved' }).waitFor();
    await page.getByRole('tab', { name: 'Tests' }).click();
    await page.getByRole('button', { name: 'Run tests' }).click();
    await summary().filter({ hasText: '0 passed, 1 failed' }).waitFor({ timeout: 90_000 });
    const failed = page.getByTestId('test-result').filter({ hasText: '✗ Simulator conversation 1' });
    await failed.filter({ hasText: 'at step 3' }).waitFor();
    expect(await failed.getByTestId('expected').textContent()).toBe('Hello Ada');
    expect(await failed.getByTestId('actual').textContent()).toBe('Goodbye Ada');
    await page.screenshot({ path: screenshotPath('editor-tests-red.png') });
  }, 120_000);
});
