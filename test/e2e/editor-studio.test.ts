import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import type { FlowDefinition } from '../../src/flow/definition';
import { FLOW_TEMPLATES } from '../../web/src/flows/templates';
import { buildEditor } from '../helpers/build';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';
import { openFlow, signIn, watchConsole, widget } from './editor-kit';

/**
 * What Studio's editor does that ours must too (issue 17): a new flow from a template, the
 * Trigger's webhook and REST URLs to copy, Allow Concurrent Calls as the engine reads it, widgets
 * copied and pasted (within a flow and into another), and signing in with an API key. Headless
 * Chromium against the real API, worker and Temporal server, with the system clipboard granted.
 */
describe('the editor, as Studio users expect it', () => {
  let browser: Browser;
  let context: BrowserContext;
  let rig: MessagingRig;
  let page: Page;
  let errors: string[];
  const client = () => localTwilioClient(rig.api.url, rig.account.accountSid, rig.account.authToken);
  const statesOf = async (sid: string) => ((await client().studio.v2.flows(sid).fetch()).definition as FlowDefinition).states;
  const clipboard = () => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  const saveDraft = async () => {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Draft saved' }).waitFor();
  };

  beforeAll(async () => {
    browser = await launchChromium();
    buildEditor();
    rig = await startMessagingRig();
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    errors = watchConsole(page);
    await signIn(page, rig.api.url, rig.account);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });
  afterEach(() => {
    const seen = errors.splice(0);
    expect(seen).toEqual([]);
  });

  let ivr: string;

  it('starts a new flow from a template, as Studio names them, valid and drawn', async () => {
    await page.goto(`${rig.api.url}/#/flows`);
    await page.getByRole('button', { name: 'Create new Flow' }).click();
    const dialog = page.getByRole('dialog');
    for (const template of FLOW_TEMPLATES) await dialog.getByLabel(template.name).waitFor();
    await page.getByLabel('Flow name').fill('Main line');
    await dialog.getByLabel('IVR / Phone Tree').check();
    await dialog.getByText('keypad menu').waitFor();
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const template = FLOW_TEMPLATES.find((t) => t.name === 'IVR / Phone Tree')!.definition();
    for (const state of template.states) await widget(page, state.name).waitFor();
    await page.getByTestId('validity').filter({ hasText: /^Valid$/ }).waitFor();
    ivr = /#\/flows\/(FW[0-9a-f]{32})/.exec(page.url())![1]!;
    const saved = await client().studio.v2.flows(ivr).fetch();
    expect(saved).toMatchObject({ friendlyName: 'Main line', status: 'draft', valid: true });
    expect(saved.definition).toEqual(template);
  }, 60_000);

  it('shows the Trigger\'s webhook URL and REST API URL, from the server, to copy', async () => {
    await widget(page, 'Trigger').locator('header').click();
    const flow = await client().studio.v2.flows(ivr).fetch();
    const webhook = page.getByLabel('Webhook URL', { exact: true });
    const rest = page.getByLabel('REST API URL', { exact: true });
    expect(await webhook.inputValue()).toBe(flow.webhookUrl);
    expect(flow.webhookUrl).toBe(`${rig.api.url}/v1/Accounts/${rig.account.accountSid}/Flows/${ivr}`);
    expect(await rest.inputValue()).toBe(flow.links.executions);
    expect(flow.links.executions).toBe(`${rig.api.url}/v2/Flows/${ivr}/Executions`);
    await page.getByRole('button', { name: 'Copy Webhook URL' }).click();
    await page.getByRole('button', { name: 'Copy Webhook URL' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await clipboard()).toBe(flow.webhookUrl);
    await page.getByRole('button', { name: 'Copy REST API URL' }).click();
    await page.getByRole('button', { name: 'Copy REST API URL' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await clipboard()).toBe(flow.links.executions);
  }, 60_000);

  it('shows Allow Concurrent Calls on when the definition has no flags, as the engine treats it', async () => {
    const definition = flowOf(triggerState({ incomingCall: 'set' }), setVariablesState('set', [{ key: 'k', value: 'v' }]));
    delete definition.flags;
    const created = await client().studio.v2.flows.create({ friendlyName: 'No flags', status: 'draft', definition });
    await openFlow(page, rig.api.url, created.sid, 2);
    await widget(page, 'Trigger').locator('header').click();
    const box = page.getByLabel('Allow Concurrent Calls');
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    await saveDraft();
    expect(((await client().studio.v2.flows(created.sid).fetch()).definition as FlowDefinition).flags).toEqual({ allow_concurrent_calls: false });
    // With nothing selected the flow's settings show the same switch.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    expect(await page.getByLabel('Allow Concurrent Calls').isChecked()).toBe(false);
  }, 60_000);

  it('copies widgets and pastes them into the same flow and into another one', async () => {
    await openFlow(page, rig.api.url, ivr, FLOW_TEMPLATES.find((t) => t.id === 'ivr-phone-tree')!.definition().states.length);
    await widget(page, 'route_call').locator('header').click();
    await page.keyboard.press('Control+c');
    const copied = JSON.parse(await clipboard()) as { kind: string; states: Array<{ name: string }> };
    expect(copied.kind).toBe('open-studio/widgets');
    expect(copied.states.map((s) => s.name)).toEqual(['route_call']);

    await page.keyboard.press('Control+v');
    await widget(page, 'route_call_1').waitFor();
    expect(await page.getByLabel('Widget Name').inputValue()).toBe('route_call_1');
    await saveDraft();
    const states = await statesOf(ivr);
    const original = states.find((s) => s.name === 'route_call')!;
    const copy = states.find((s) => s.name === 'route_call_1')!;
    expect(copy.type).toBe('split-based-on');
    expect(copy.properties.input).toBe(original.properties.input);
    expect(copy.transitions.map((t) => t.conditions)).toEqual(original.transitions.map((t) => t.conditions));
    expect(copy.transitions.every((t) => !t.next)).toBe(true);

    // Into another flow: the name is free there, and it is kept.
    const other = await client().studio.v2.flows.create({ friendlyName: 'Other', status: 'draft', definition: flowOf(triggerState({})) });
    await openFlow(page, rig.api.url, other.sid, 1);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+v');
    await widget(page, 'route_call').waitFor();
    // The pasted widget is selected, as after a drop.
    const name = page.getByLabel('Widget Name');
    expect(await name.inputValue()).toBe('route_call');

    // Typing in a field keeps the browser's own paste: the text goes into the field, no widget appears.
    await name.focus();
    await page.keyboard.press('Control+v');
    expect(await name.inputValue()).toContain('open-studio/widgets');
    expect(await page.locator('.react-flow__node').count()).toBe(2);
    await name.press('Escape');
    expect(await name.inputValue()).toBe('route_call');
    await saveDraft();
    expect((await statesOf(other.sid)).map((s) => s.name)).toEqual(['Trigger', 'route_call']);
  }, 60_000);

  it('signs in with an API key, shows the account it belongs to, and is signed out once the key is deleted', async () => {
    const key = await client().newKeys.create({ friendlyName: 'Editor' });
    const keyed = await browser.newPage();
    try {
      await signIn(keyed, rig.api.url, { accountSid: key.sid, authToken: key.secret });
      await keyed.getByTestId('account').filter({ hasText: `${rig.account.accountSid} · API key ${key.sid}` }).waitFor();
      await keyed.getByText('Main line', { exact: true }).waitFor();
      await client().keys(key.sid).remove();
      await keyed.reload();
      await keyed.getByLabel('Account SID or API key SID').waitFor();
    } finally {
      await keyed.close();
    }
  }, 60_000);
});
