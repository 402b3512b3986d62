import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import type { FlowDefinition } from '../../src/flow/definition';
import { buildEditor } from '../helpers/build';
import { flowOf, triggerState } from '../helpers/flows';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { openFlow, signIn, watchConsole } from './editor-kit';

const greet: FlowDefinition = flowOf(triggerState({ incomingRequest: 'hello' }), {
  name: 'hello',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', body: 'Hello {{flow.data.name}}', offset: { x: 0, y: 200 } },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
});

/** The Campaigns panel in Chromium: upload a CSV, see it as flow.data, start, watch the progress reach 100 %. */
describe('campaigns from the editor', () => {
  let browser: Browser;
  let rig: MessagingRig;
  let page: Page;
  let errors: string[];
  let flow: string;

  beforeAll(async () => {
    browser = await launchChromium();
    buildEditor();
    rig = await startMessagingRig();
    flow = await rig.publish(greet);
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    errors = watchConsole(page);
    await signIn(page, rig.api.url, rig.account);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('uploads a CSV, previews it, starts the campaign and follows it to 100 %', async () => {
    await openFlow(page, rig.api.url, flow, 2);
    await page.getByRole('tab', { name: 'Campaigns' }).click();
    const rows = Array.from({ length: 15 }, (_, i) => `+1415888${String(i).padStart(4, '0')},N${i}`);
    await page.getByLabel('Contact list').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(`To,name\n${rows.join('\n')}\nnope,x\n`) });
    const preview = page.getByTestId('campaign-preview');
    await preview.getByText('16 contacts · 1 skipped (invalid-number)').waitFor();
    expect(await preview.locator('tr').first().innerText()).toBe('+14158880000\t{"name":"N0"}\t');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('+15005550006');
    await page.getByRole('spinbutton', { name: 'Rate' }).fill('8');
    await page.getByRole('button', { name: 'Start campaign' }).click();
    const campaign = page.getByTestId('campaign').first();
    await campaign.locator('.status.completed').waitFor({ timeout: 30_000 });
    const progress = campaign.getByRole('progressbar');
    expect([await progress.getAttribute('value'), await progress.getAttribute('max')]).toEqual(['16', '16']);
    expect(await campaign.locator('.counts').innerText()).toMatch(/^16 of 16 · 15 started · 1 skipped · 0 failed · \d+ ended · 8\/s$/);
  });
});
