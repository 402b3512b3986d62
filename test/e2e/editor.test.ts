import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import { buildEditor } from '../helpers/build';
import { corpusFlows } from '../helpers/corpus';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';
import { bigFlow, clickEdge, drawTransition, dropWidget, expectedFailure, openFlow, panAndMeasure, screenshotPath, signIn, watchConsole, widget } from './editor-kit';

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
  const openedCanvas = (widgets: number) => page.locator('.react-flow__node').nth(widgets - 1).waitFor();

  beforeAll(async () => {
    browser = await launchChromium();
    if (!process.env.EDITOR_STACKS) buildEditor();
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
    // Every test leaves the console clean (and the next one starts clean either way).
    const seen = errors.splice(0);
    expect(seen).toEqual([]);
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

  describe('a flow built from scratch', () => {
    let sid: string;

    it('is built by dragging widgets and drawing transitions, configured in the Inspector, and published', async () => {
      await page.goto(`${rig.api.url}/#/flows`);
      await page.getByRole('button', { name: 'Create new Flow' }).click();
      await page.getByLabel('Flow name').fill('Greeter');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await widget(page, 'Trigger').waitFor();
      sid = /#\/flows\/(FW[0-9a-f]{32})/.exec(page.url())![1]!;

      await dropWidget(page, 'send-and-wait-for-reply', { x: 250, y: 480 });
      await widget(page, 'send_and_reply_1').waitFor();
      // A dropped widget opens in the Inspector.
      expect(await page.getByLabel('Widget Name').inputValue()).toBe('send_and_reply_1');
      await page.getByLabel('Message Body', { exact: true }).fill('What is your name?');

      await dropWidget(page, 'send-message', { x: 300, y: 760 });
      await widget(page, 'send_message_1').waitFor();
      // The body reads the reply through a suggested variable.
      const body = page.getByLabel('Message Body', { exact: true });
      await body.fill('Hello ');
      await body.press('End');
      await body.pressSequentially('{{widgets.send_and');
      await page.getByRole('option', { name: /widgets\.send_and_reply_1\.inbound\.Body/ }).click();
      await body.press('End');
      await body.pressSequentially('!');
      expect(await body.inputValue()).toBe('Hello {{widgets.send_and_reply_1.inbound.Body}}!');

      await drawTransition(page, 'Trigger', 'incomingMessage', 'send_and_reply_1');
      await drawTransition(page, 'send_and_reply_1', 'incomingMessage', 'send_message_1');
      if (process.env.EDITOR_STACKS) await page.screenshot({ path: '/tmp/dbg-edges.png' });
      await page.locator('.react-flow__edge').nth(1).waitFor();
      expect(await page.locator('.react-flow__edge').count()).toBe(2);

      // Undo takes the last transition back, redo restores it (outside any field).
      await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
      await page.keyboard.press('Control+z');
      await expect(waitForCount(page, '.react-flow__edge', 1)).resolves.toBe(1);
      await page.keyboard.press('Control+Shift+z');
      await expect(waitForCount(page, '.react-flow__edge', 2)).resolves.toBe(2);

      await page.getByRole('button', { name: 'Auto-layout' }).click();
      // Auto-layout brings the whole flow into view.
      await expect(waitUntil(async () => {
        const pane = (await page.locator('.react-flow__pane').boundingBox())!;
        const last = (await widget(page, 'send_message_1').boundingBox())!;
        return last.y >= pane.y && last.y + last.height <= pane.y + pane.height;
      })).resolves.toBe(true);
      await page.getByTestId('validity').filter({ hasText: /^Valid/ }).waitFor();
      await widget(page, 'send_message_1').locator('header').click();
      expect(await page.getByLabel('Widget Name').inputValue()).toBe('send_message_1');
      await page.screenshot({ path: screenshotPath('editor-canvas.png') });

      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByLabel('Commit message').fill('First greeter');
      await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
      await page.getByTestId('notice').filter({ hasText: 'Published revision' }).waitFor();

      const flow = await client().studio.v2.flows(sid).fetch();
      expect(flow).toMatchObject({ status: 'published', commitMessage: 'First greeter', valid: true });
      const definition = flow.definition as { states: Array<{ name: string; type: string; properties: Record<string, unknown>; transitions: Array<{ event: string; next?: string }> }> };
      const byName = Object.fromEntries(definition.states.map((st) => [st.name, st]));
      expect(byName.Trigger!.transitions.find((t) => t.event === 'incomingMessage')!.next).toBe('send_and_reply_1');
      expect(byName.send_and_reply_1).toMatchObject({ type: 'send-and-wait-for-reply', properties: { body: 'What is your name?' } });
      expect(byName.send_and_reply_1!.transitions.find((t) => t.event === 'incomingMessage')!.next).toBe('send_message_1');
      expect(byName.send_message_1).toMatchObject({ type: 'send-message', properties: { body: 'Hello {{widgets.send_and_reply_1.inbound.Body}}!' } });
    }, 120_000);

    it('runs in the simulator, the path lighting up on the canvas', async () => {
      await page.getByRole('tab', { name: 'Simulator' }).click();
      const message = page.getByLabel('Message', { exact: true });
      await message.fill('hi');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByTestId('sim-message').filter({ hasText: 'What is your name?' }).waitFor();
      await message.fill('Ada');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByTestId('sim-message').filter({ hasText: 'Hello Ada!' }).waitFor();
      await page.getByTestId('sim-execution-status').filter({ hasText: 'ended' }).waitFor();
      for (const name of ['Trigger', 'send_and_reply_1', 'send_message_1']) await widget(page, name).locator('.widget.visited').waitFor();
      expect(await page.locator('.react-flow__edge.taken').count()).toBe(2);
      await page.screenshot({ path: screenshotPath('editor-simulator.png') });
      const outbound = await page.getByTestId('sim-message').evaluateAll((els) => els.map((e) => `${e.className}: ${e.textContent ?? ''}`));
      expect(outbound.filter((m) => m.includes('outbound'))).toHaveLength(2);
    }, 60_000);

    it('lists the execution and opens it with its path and each step\'s context', async () => {
      await page.getByRole('tab', { name: 'Executions' }).click();
      await page.getByTestId('execution-row').first().click();
      await page.getByTestId('path-banner').waitFor();
      await page.getByTestId('step-row').nth(2).waitFor();
      expect(await page.getByTestId('step-row').count()).toBe(3);
      await page.getByTestId('step-row').nth(1).click();
      await page.getByText('"Ada"').first().waitFor();
      await page.screenshot({ path: screenshotPath('editor-executions.png') });
    }, 60_000);

    it('keeps revisions: a side-by-side diff and a restore as a new draft', async () => {
      await page.getByRole('tab', { name: 'Revisions' }).click();
      await page.getByTestId('revision-row').nth(1).waitFor();
      const revisions = await client().studio.v2.flows(sid).fetch();
      await page.getByRole('button', { name: 'Compare' }).click();
      const dialog = page.getByRole('dialog', { name: 'Compare revisions' });
      await dialog.locator('[data-testid="diff-row"].added').first().waitFor();
      expect(await dialog.getByText('send_message_1').count()).toBeGreaterThan(0);
      await page.screenshot({ path: screenshotPath('editor-diff.png') });
      await page.keyboard.press('Escape');

      // Restore revision 1 (the blank flow): a new draft revision, the canvas back to the Trigger.
      await page.getByTestId('revision-row').filter({ has: page.getByText('Revision 1', { exact: true }) }).getByRole('button', { name: 'Restore' }).click();
      await expect(waitForCount(page, '.react-flow__node', 1)).resolves.toBe(1);
      const restored = await client().studio.v2.flows(sid).fetch();
      expect(restored).toMatchObject({ status: 'draft', revision: revisions.revision + 1, commitMessage: 'Restored revision 1' });
      expect((restored.definition as { states: unknown[] }).states).toHaveLength(1);
      // Undo brings the built flow back onto the canvas (unsaved).
      await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
      await page.keyboard.press('Control+z');
      await expect(waitForCount(page, '.react-flow__node', 3)).resolves.toBe(3);
    }, 60_000);

    it('keeps test users', async () => {
      await page.getByRole('tab', { name: 'Test Users' }).click();
      await page.getByRole('textbox', { name: 'Test user' }).fill('+15555550123');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('button', { name: 'Save test users' }).click();
      await page.getByText('Saved 1 test user').waitFor();
      expect((await client().studio.v2.flows(sid).testUsers().fetch()).testUsers).toEqual(['+15555550123']);
    }, 60_000);
  });

  it('keeps the flow list: import from JSON, search, rename, duplicate, delete', async () => {
    const source = corpusFlows().find((f) => f.name.startsWith('061-'))!;
    await page.goto(`${rig.api.url}/#/flows`);
    await page.getByRole('button', { name: 'Create new Flow' }).click();
    await page.getByLabel('Flow name').fill('Imported survey');
    await page.getByLabel('Import from JSON').check();
    await page.getByRole('textbox', { name: 'Flow JSON' }).fill(source.text);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await openedCanvas(source.definition.states.length);
    const sid = /#\/flows\/(FW[0-9a-f]{32})/.exec(page.url())![1]!;
    expect((await client().studio.v2.flows(sid).fetch()).definition).toEqual(source.definition);

    await page.getByRole('button', { name: '← Flows' }).click();
    await page.getByLabel('Search flows').fill('survey');
    const rows = page.locator('tbody tr');
    await expect(waitForCount(page, 'tbody tr', 1)).resolves.toBe(1);
    await rows.first().getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('dialog').getByLabel('Flow name').fill('Survey (renamed)');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await page.getByText('Survey (renamed)', { exact: true }).waitFor();
    expect((await client().studio.v2.flows(sid).fetch()).friendlyName).toBe('Survey (renamed)');

    await page.getByLabel('Search flows').fill('survey (renamed)');
    await page.locator(`[data-testid="flow-${sid}"]`).getByRole('button', { name: 'Duplicate' }).click();
    await page.getByText('Copy of Survey (renamed)', { exact: true }).waitFor();
    const copies = (await client().studio.v2.flows.list()).filter((f) => f.friendlyName === 'Copy of Survey (renamed)');
    expect(copies).toHaveLength(1);

    await page.locator(`[data-testid="flow-${copies[0]!.sid}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    // The copy's row goes (its name may still show in the closing dialog for a moment).
    await page.locator(`[data-testid="flow-${copies[0]!.sid}"]`).waitFor({ state: 'detached' });
    await expect(client().studio.v2.flows(copies[0]!.sid).fetch()).rejects.toMatchObject({ status: 404 });
  }, 60_000);

  it('shows a widget\'s errors on the canvas and blocks publishing until they are fixed; imports edited Flow JSON', async () => {
    const created = await client().studio.v2.flows.create({ friendlyName: 'Needs a URL', status: 'draft', definition: flowOf(triggerState({})) });
    await openFlow(page, rig.api.url, created.sid, 1);
    await dropWidget(page, 'make-http-request', { x: 300, y: 500 });
    const http = widget(page, 'http_1');
    await http.getByTestId('widget-errors').waitFor();
    await page.getByTestId('validity').filter({ hasText: 'error' }).waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
    // The server refuses the same definition for the same reason.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Invalid flow definition' }).waitFor();
    expectedFailure(errors, 400, `/v2/Flows/${created.sid}`);

    await page.getByLabel('URL', { exact: true }).fill('https://example.test/lookup');
    await http.getByTestId('widget-errors').waitFor({ state: 'detached' });
    await page.getByTestId('validity').filter({ hasText: /^Valid/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(false);

    // Show Flow JSON, edit it as text, import it: the canvas takes it as one undo step.
    await page.getByRole('button', { name: 'Flow JSON' }).click();
    const json = page.getByTestId('flow-json');
    const text = await json.inputValue();
    await json.fill(text.replace('"http_1"', '"lookup"'));
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
    await widget(page, 'lookup').waitFor();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Draft saved' }).waitFor();
    const saved = await client().studio.v2.flows(created.sid).fetch();
    expect((saved.definition as { states: Array<{ name: string; properties: { url?: string } }> }).states[1]).toMatchObject({ name: 'lookup', properties: { url: 'https://example.test/lookup' } });

    // Not JSON, or not Flow JSON: refused with the reason, the canvas untouched.
    await page.getByRole('button', { name: 'Flow JSON' }).click();
    await page.getByTestId('flow-json').fill('{"states": 3}');
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: 'Not Studio Flow JSON' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('.react-flow__node').count()).toBe(2);
  }, 60_000);

  it('removes a transition by hand: select it and press Delete', async () => {
    const definition = flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'k', value: 'v' }], 'b'), setVariablesState('b', [{ key: 'k', value: 'w' }]));
    const created = await client().studio.v2.flows.create({ friendlyName: 'Two steps', status: 'draft', definition });
    await openFlow(page, rig.api.url, created.sid, 3);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await clickEdge(page, 'a#0');
    await page.keyboard.press('Delete');
    await expect(waitForCount(page, '.react-flow__edge', 1)).resolves.toBe(1);
    // Leaving with the change unsaved asks first: keep editing, then save on the way out.
    await page.getByRole('button', { name: '← Flows' }).click();
    const unsaved = page.getByRole('dialog', { name: 'Unsaved changes' });
    await unsaved.getByRole('button', { name: 'Keep editing' }).click();
    expect(await page.locator('.react-flow__edge').count()).toBe(1);
    await page.getByRole('button', { name: '← Flows' }).click();
    await unsaved.getByRole('button', { name: 'Save draft and leave' }).click();
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    const saved = await client().studio.v2.flows(created.sid).fetch();
    expect((saved.definition as { states: Array<{ name: string; transitions: Array<{ next?: string }> }> }).states.find((st) => st.name === 'a')!.transitions).toEqual([{ event: 'next' }]);
  }, 60_000);

  it('calls a flow from the simulator\'s keypad', async () => {
    const definition = flowOf(
      triggerState({ incomingCall: 'menu' }),
      { name: 'menu', type: 'gather-input-on-call', properties: { say: 'Press 1 for sales', number_of_digits: 1, timeout: 5 }, transitions: [{ event: 'keypress', next: 'said' }, { event: 'speech' }, { event: 'timeout' }] },
      { name: 'said', type: 'say-play', properties: { say: 'You pressed {{widgets.menu.Digits}}' }, transitions: [{ event: 'audioComplete' }] },
    );
    const created = await client().studio.v2.flows.create({ friendlyName: 'Keypad', status: 'published', definition });
    await openFlow(page, rig.api.url, created.sid, 3);
    await page.getByRole('tab', { name: 'Simulator' }).click();
    await page.getByRole('radio', { name: 'Voice' }).click();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const heard = page.getByRole('list', { name: 'What the caller hears' });
    await heard.getByText('Press 1 for sales').waitFor();
    await page.getByRole('button', { name: 'Key 1' }).click();
    await heard.getByText('You pressed 1', { exact: true }).last().waitFor();
    await page.getByTestId('sim-execution-status').filter({ hasText: 'ended' }).waitFor();
    for (const name of ['Trigger', 'menu', 'said']) await widget(page, name).locator('.widget.visited').waitFor();
  }, 60_000);

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

/** Polls the number of elements matching `selector` until it is `count` (or 15 s pass), and returns it. */
async function waitForCount(page: Page, selector: string, count: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const n = await page.locator(selector).count();
    if (n === count || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `check` until it holds (or 15 s pass), and returns its last answer. */
async function waitUntil(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
