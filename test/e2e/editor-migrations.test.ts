import type { Browser, Page } from 'playwright-core';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import { buildEditor } from '../helpers/build';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';
import { openFlow, signIn, watchConsole } from './editor-kit';

const ask = (name: string, body: string, next: string): FlowState => ({
  name,
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body, timeout: '3600', offset: { x: 0, y: 200 } },
  transitions: [{ event: 'incomingMessage', next }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});
const send = (name: string, body: string): FlowState => ({ name, type: 'send-message', properties: { from: '{{flow.channel.address}}', body, offset: { x: 0, y: 400 } }, transitions: [{ event: 'sent' }, { event: 'failed' }] });
const match = (value: string, next: string) => ({ event: 'match', next, conditions: [{ friendly_name: value, arguments: ['{{trigger.message.Body}}'], type: 'equal_to', value }] });
const route = (a: string) => ({ name: 'route', type: 'split-based-on', properties: { input: '{{trigger.message.Body}}', offset: { x: 0, y: 100 } }, transitions: [{ event: 'noMatch' }, match('a', a), match('b', 'ask_b')] });

const revision1: FlowDefinition = flowOf(triggerState({ incomingMessage: 'route' }), route('ask_a'), ask('ask_a', 'Question A?', 'thanks'), ask('ask_b', 'Question B?', 'thanks'), send('thanks', 'Thanks (v1)'));
// Renames ask_a, rewords ask_b, thanks differently.
const revision2: FlowDefinition = flowOf(triggerState({ incomingMessage: 'route' }), route('ask_first'), ask('ask_first', 'Question A?', 'thanks'), ask('ask_b', 'Question B, again?', 'thanks'), send('thanks', 'Thanks (v2)'));

/**
 * The Migrate waiting contacts dialog in Chromium: after publishing a revision while contacts
 * wait in the one before, the dialog shows the dry run and runs the migration with its progress;
 * the moved contacts' replies then take the new revision's path.
 */
describe('migrating waiting contacts from the editor', () => {
  let browser: Browser;
  let rig: MessagingRig;
  let page: Page;
  let errors: string[];
  let flow: string;
  const WAITING = 4;
  const contact = (w: 'a' | 'b', i: number) => `+1555${w === 'a' ? 3 : 4}${String(i).padStart(6, '0')}`;
  const sent = async (address: string) =>
    ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(address)}`)).json()) as { messages: Array<{ body: string; direction: string }> }).messages.filter((m) => m.direction === 'outbound').map((m) => m.body);

  beforeAll(async () => {
    browser = await launchChromium();
    buildEditor();
    rig = await startMessagingRig();
    flow = await rig.publish(revision1);
    for (let i = 0; i < WAITING; i++) {
      await rig.text(flow, contact('a', i), 'a');
      await rig.text(flow, contact('b', i), 'b');
    }
    // Visibility lists each of them at its widget (the dry run reads it there when the editor publishes).
    const settled = `FlowSid = '${flow}' AND ExecutionStatus = 'Running' AND CurrentWidget IS NOT NULL`;
    await eventually('every contact waiting in visibility', async () => ((await rig.t.client.workflow.count(settled)).count === 2 * WAITING ? true : undefined), 30_000);
    // Revision 2 is saved as a draft: the editor publishes it (as revision 3).
    await localTwilioClient(rig.api.url, rig.account.accountSid, rig.account.authToken).studio.v2.flows(flow).update({ status: 'draft', definition: revision2 });
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

  it('shows the dry run after a publish, and migrates the mappable contacts with a progress bar', async () => {
    await openFlow(page, rig.api.url, flow, 5);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByLabel('Commit message').fill('Rename ask_a, reword ask_b');
    await page.getByRole('dialog', { name: 'Publish flow' }).getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Migrate waiting contacts' });
    // Visibility may take a moment to list every wait: the dry run is read when the dialog opens.
    await dialog.getByText(`${2 * WAITING} contacts wait in older revisions`).waitFor({ timeout: 20_000 });
    const rows = dialog.getByTestId('migration-group');
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(new RegExp(`Revision 1\\s+ask_a send-and-wait-for-reply\\s+${WAITING}\\s+Cannot move: revision 3 has no widget named "ask_a" \\(renamed or removed\\)`)),
      expect.stringMatching(new RegExp(`Revision 1\\s+ask_b send-and-wait-for-reply\\s+${WAITING}\\s+waits at ask_b`)),
    ]);
    expect(await dialog.getByRole('checkbox', { name: 'Migrate ask_b of revision 1' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: `Migrate ${WAITING} contacts` }).click();
    await dialog.getByRole('status').filter({ hasText: `Finished: ${WAITING} of ${WAITING} — ${WAITING} migrated` }).waitFor({ timeout: 30_000 });
    const progress = dialog.getByRole('progressbar', { name: 'Migration progress' });
    expect([await progress.getAttribute('value'), await progress.getAttribute('max')]).toEqual([String(WAITING), String(WAITING)]);
    await dialog.getByRole('button', { name: 'Done' }).click();

    // Nothing was sent by the migration; the moved contacts' replies take revision 2's path.
    for (let i = 0; i < WAITING; i++) expect(await sent(contact('b', i))).toEqual(['Question B?']);
    await rig.text(flow, contact('b', 0), 'yes');
    await rig.text(flow, contact('a', 0), 'yes');
    await eventually('both thanked', async () => ((await sent(contact('b', 0))).length === 2 && (await sent(contact('a', 0))).length === 2 ? true : undefined), 20_000);
    expect(await sent(contact('b', 0))).toEqual(['Thanks (v2)', 'Question B?']);
    expect(await sent(contact('a', 0))).toEqual(['Thanks (v1)', 'Question A?']);
  });

  it('opens from the Revisions panel, where only the unmappable contacts are left', async () => {
    await page.getByRole('tab', { name: 'Revisions' }).click();
    await page.getByRole('button', { name: 'Migrate waiting contacts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Migrate waiting contacts' });
    await dialog.getByText(`${WAITING - 1} contacts wait in older revisions`).waitFor({ timeout: 20_000 });
    expect(await dialog.getByTestId('migration-group').count()).toBe(1);
    expect(await dialog.getByRole('button', { name: /^Migrate \d+ contacts$/ }).count()).toBe(0);
    await dialog.locator('footer').getByRole('button', { name: 'Close' }).click();
  });
});
