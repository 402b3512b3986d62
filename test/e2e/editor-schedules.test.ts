import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import type { FlowDefinition } from '../../src/flow/definition';
import { buildEditor } from '../helpers/build';
import { flowOf, triggerState } from '../helpers/flows';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { expectedFailure, openFlow, signIn, watchConsole } from './editor-kit';

const greet: FlowDefinition = flowOf(triggerState({ incomingRequest: 'hello' }), {
  name: 'hello',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', body: 'Hello {{flow.data.name}}', offset: { x: 0, y: 200 } },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
});

/** The Schedules panel in Chromium: make a schedule, run it now, see the run, pause it, delete it. */
describe('schedules from the editor', () => {
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

  it('creates a schedule to one contact every 60 minutes, runs it now, pauses it and deletes it', async () => {
    await openFlow(page, rig.api.url, flow, 2);
    await page.getByRole('tab', { name: 'Schedules' }).click();
    await page.getByText('No schedule of this flow yet.').waitFor();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Hourly hello');
    await page.getByRole('spinbutton', { name: 'Interval (minutes)' }).fill('60');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('+15005550006');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('+14155550123');
    await page.getByRole('textbox', { name: 'flow.data' }).fill('{"name": "Ada"}');
    await page.getByRole('button', { name: 'Create schedule' }).click();

    const schedule = page.getByTestId('schedule').filter({ hasText: 'Hourly hello' });
    await schedule.locator('.status.active').waitFor();
    expect(await schedule.locator('.when').innerText()).toBe('every 1 h');
    expect(await schedule.locator('.target').innerText()).toBe('one execution to +14155550123');
    expect(await schedule.locator('.next-run').innerText()).toMatch(/^next \S/);
    expect(await schedule.locator('.missed').innerText()).toBe('0 missed');

    // Run now opens the runs; the run shows the execution it started, once it has.
    await schedule.getByRole('button', { name: 'Run now' }).click();
    const run = schedule.getByTestId('schedule-run').first();
    await run.locator('.outcome.started').waitFor({ timeout: 30_000 });
    expect(await run.locator('.execution-sid').innerText()).toMatch(/^FN[0-9a-f]{32}$/);
    expect(await schedule.getByTestId('schedule-run').count()).toBe(1);
    // The flow.data typed in the form reached the execution.
    const sent = async () => ((await (await rig.api.request('/v1/Local/Messages?Contact=%2B14155550123')).json()) as { messages: Array<{ body: string; direction: string }> }).messages;
    expect((await sent()).filter((m) => m.direction === 'outbound').map((m) => m.body)).toEqual(['Hello Ada']);

    await schedule.getByRole('button', { name: 'Pause' }).click();
    await schedule.locator('.status.paused').waitFor();
    await schedule.getByRole('button', { name: 'Resume' }).waitFor();

    await schedule.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete schedule' }).getByRole('button', { name: 'Delete' }).click();
    await schedule.waitFor({ state: 'detached' });
    await page.getByText('No schedule of this flow yet.').waitFor();
  });

  it('says what the server refused: a cron expression that is not one', async () => {
    await openFlow(page, rig.api.url, flow, 2);
    await page.getByRole('tab', { name: 'Schedules' }).click();
    await page.getByRole('radio', { name: 'Cron' }).check();
    await page.getByRole('textbox', { name: 'Cron expression' }).fill('every morning');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('+15005550006');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('+14155550124');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByRole('form', { name: 'New schedule' }).getByRole('alert').getByText(/Cron must have 5 fields/).waitFor();
    expectedFailure(errors, 400, '/Schedules');
    expect(await page.getByTestId('schedule').count()).toBe(0);
  });

  it('schedules a campaign over an uploaded CSV on a cron expression, and runs it now', async () => {
    await openFlow(page, rig.api.url, flow, 2);
    await page.getByRole('tab', { name: 'Schedules' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Weekday list');
    await page.getByRole('radio', { name: 'Cron' }).check();
    await page.getByRole('textbox', { name: 'Cron expression' }).fill('0 9 * * 1-5');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Paris');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('+15005550006');
    await page.getByRole('radio', { name: 'A list (campaign)' }).check();
    const rows = Array.from({ length: 3 }, (_, i) => `+1415999${String(i).padStart(4, '0')},N${i}`);
    await page.getByLabel('Contact list').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(`To,name\n${rows.join('\n')}\n`) });
    await page.getByRole('spinbutton', { name: 'Rate' }).fill('5');
    await page.getByRole('button', { name: 'Create schedule' }).click();

    const schedule = page.getByTestId('schedule').filter({ hasText: 'Weekday list' });
    await schedule.locator('.status.active').waitFor();
    expect(await schedule.locator('.when').innerText()).toBe('cron 0 9 * * 1-5 (Europe/Paris)');
    expect(await schedule.locator('.target').innerText()).toBe('campaign over 3 contacts at 5/s');
    await schedule.getByRole('button', { name: 'Run now' }).click();
    const run = schedule.getByTestId('schedule-run').first();
    await run.locator('.outcome.started').waitFor({ timeout: 30_000 });
    expect(await run.locator('.campaign-sid').innerText()).toMatch(/^CM[0-9a-f]{32}$/);

    await schedule.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete schedule' }).getByRole('button', { name: 'Delete' }).click();
    await schedule.waitFor({ state: 'detached' });
  });
});
