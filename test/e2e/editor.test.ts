import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import { buildEditor } from '../helpers/build';
import { corpusFlows } from '../helpers/corpus';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';
import { bigFlow, openFlow, panAndMeasure, screenshotPath, signIn, watchConsole, widget } from './editor-kit';

/**
 * The editor in headless Chromium against the real API, worker and Temporal server. A missing
 * Chromium fails the test (launchChromium says what to install); it never skips.
 */
describe('the editor in a browser', () => {
  let browser: Browser;
  let rig: MessagingRig;
  let page: Page;
  let errors: string[];
  const client = () => localTwilioClient(rig.api.url, rig.account.accountSid, rig.account.authToken);

  beforeAll(async () => {
    browser = await launchChromium();
    buildEditor();
    rig = await startMessagingRig();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    errors = watchConsole(page);
    await signIn(page, rig.api.url, rig.account);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });
  afterEach(() => {
    // Every test leaves the console clean.
    expect(errors).toEqual([]);
  });

  it('refuses a wrong token and signs in with the right one', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(`${rig.api.url}/`);
      await other.getByLabel('Account SID').fill(rig.account.accountSid);
      await other.getByLabel('Auth Token').fill('0'.repeat(32));
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('alert').filter({ hasText: 'wrong' }).waitFor();
    } finally {
      await other.close();
    }
  });

  it('opens every corpus flow on the canvas, every widget drawn, no console error', async () => {
    const flows = corpusFlows();
    let widgets = 0;
    for (const flow of flows) {
      const created = await client().studio.v2.flows.create({ friendlyName: flow.name, status: 'draft', definition: flow.definition });
      await openFlow(page, rig.api.url, created.sid, flow.definition.states.length);
      for (const state of flow.definition.states) await widget(page, state.name).waitFor({ state: 'attached' });
      expect(await page.locator('.react-flow__node').count()).toBe(flow.definition.states.length);
      widgets += flow.definition.states.length;
      expect(errors).toEqual([]);
    }
    console.log(`editor corpus: ${flows.length} flows opened, ${widgets} widgets drawn, ${errors.length} console errors`);
    expect(flows.length).toBe(79);
  }, 300_000);

  it('opens a 300-widget flow and pans it (frame times printed)', async () => {
    const definition = bigFlow(300);
    const created = await client().studio.v2.flows.create({ friendlyName: 'Three hundred widgets', status: 'published', definition });
    const opened = Date.now();
    await openFlow(page, rig.api.url, created.sid, 300);
    await widget(page, 'w299').waitFor();
    const openMs = Date.now() - opened;
    expect(await page.locator('.react-flow__node').count()).toBe(300);
    const fitted = await panAndMeasure(page, 60);
    // Closer in, as one works on a part of a big flow: only what is on screen is drawn.
    await page.getByRole('button', { name: /zoom in/i }).click({ clickCount: 6 });
    const zoomed = await panAndMeasure(page, 60);
    await page.screenshot({ path: screenshotPath('editor-300-widgets.png') });
    console.log(`editor 300 widgets: opened in ${openMs} ms; pan, whole flow in view: ${JSON.stringify(fitted)}; pan, zoomed in: ${JSON.stringify(zoomed)}`);
    expect(fitted.frames).toBeGreaterThan(30);
    expect(zoomed.frames).toBeGreaterThan(30);
  }, 120_000);
});
