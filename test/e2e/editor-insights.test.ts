import type { Browser, Locator, Page } from 'playwright-core';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { launchChromium } from '../../scripts/temporal-ui/browser';
import { buildEditor } from '../helpers/build';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';
import { openFlow, screenshotPath, signIn, watchConsole, widget } from './editor-kit';

const send = (name: string, body: string, x: number): FlowState => ({ name, type: 'send-message', properties: { from: '{{flow.channel.address}}', body, offset: { x, y: 800 } }, transitions: [{ event: 'sent' }, { event: 'failed' }] });
/** Trigger → ask (send-and-wait) → check on the reply: "yes" → say_yes, anything else → say_no. */
const definition: FlowDefinition = flowOf(
  triggerState({ incomingMessage: 'ask' }),
  {
    name: 'ask',
    type: 'send-and-wait-for-reply',
    properties: { from: '{{flow.channel.address}}', body: 'Coming?', timeout: '3600', offset: { x: 0, y: 300 } },
    transitions: [{ event: 'incomingMessage', next: 'check' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
  },
  {
    name: 'check',
    type: 'split-based-on',
    properties: { input: '{{widgets.ask.inbound.Body}}', offset: { x: 0, y: 550 } },
    transitions: [{ event: 'noMatch', next: 'say_no' }, { event: 'match', next: 'say_yes', conditions: [{ friendly_name: 'yes', arguments: ['{{widgets.ask.inbound.Body}}'], type: 'equal_to', value: 'yes' }] }],
  },
  send('say_yes', 'See you', -200),
  send('say_no', 'Pity', 200),
);

/** Six contacts start: three reply yes, one no, two are left waiting at ask. */
const REPLIES = ['yes', 'yes', 'yes', 'no', undefined, undefined] as const;
const contact = (i: number) => `+1555700${String(i).padStart(4, '0')}`;

/** Polls a locator's text until it is `expected`; on time out fails with the text last seen. */
async function hasText(locator: Locator, expected: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | undefined;
  for (;;) {
    // textContent, not innerText: an edge's label is SVG text.
    seen = (await locator.count()) > 0 ? (await locator.first().textContent())?.trim() : undefined;
    if (seen === expected) return;
    if (Date.now() > deadline) throw new Error(`expected "${expected}", saw ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The editor's Insights mode in Chromium, over executions a real worker ran: the counts on the
 * widgets, the traffic on the transitions, the scope pickers, the charts, and the executions
 * waiting at a widget.
 */
describe('the Insights view in a browser', () => {
  let browser: Browser;
  let rig: MessagingRig;
  let page: Page;
  let errors: string[];
  let flow: string;
  let waiting: string[];
  const stat = (name: string, which: string) => widget(page, name).locator(`[data-stat="${which}"]`);
  const label = (edge: string) => page.locator(`.react-flow__edge[data-id="${edge}"] .react-flow__edge-text`);
  const sent = async (address: string) =>
    ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(address)}`)).json()) as { messages: Array<{ direction: string }> }).messages.filter((m) => m.direction === 'outbound').length;

  beforeAll(async () => {
    browser = await launchChromium();
    buildEditor();
    rig = await startMessagingRig();
    flow = await rig.publish(definition);
    for (const i of REPLIES.keys()) await rig.text(flow, contact(i), 'hi');
    await eventually('every contact asked', async () => ((await Promise.all(REPLIES.map((_, i) => sent(contact(i))))).every((n) => n === 1) ? true : undefined), 30_000);
    for (const [i, reply] of REPLIES.entries()) if (reply) await rig.text(flow, contact(i), reply);
    await eventually('the insights count every reply', async () => {
      const body = (await (await rig.api.request(`/v2/Flows/${flow}/Insights`)).json()) as { executions: { active: number; ended: number } };
      return body.executions.active === 2 && body.executions.ended === 4 ? true : undefined;
    }, 30_000);
    const client = localTwilioClient(rig.api.url, rig.account.accountSid, rig.account.authToken);
    const executions = await client.studio.v2.flows(flow).executions.list();
    const silent = new Set([contact(4), contact(5)]);
    waiting = executions.filter((e) => silent.has(e.contactChannelAddress)).map((e) => e.sid).sort();
    expect(waiting).toHaveLength(2);
    // A second revision nobody ran, for the revision picker (the definition unchanged).
    await client.studio.v2.flows(flow).update({ status: 'draft', definition });
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

  it('draws the counts on the widgets and the traffic on the transitions', async () => {
    await openFlow(page, rig.api.url, flow, 5);
    await page.getByRole('button', { name: 'Insights', exact: true }).click();
    await hasText(stat('ask', 'reached'), '6');
    expect(await page.getByRole('button', { name: 'Insights', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const counts = async (name: string) => Promise.all(['reached', 'waiting', 'ended', 'drop-off'].map(async (s) => (await stat(name, s).innerText()).trim()));
    expect(await counts('Trigger')).toEqual(['6', '0', '0', '0%']);
    // Two of the six wait at ask: a third dropped off there so far.
    expect(await counts('ask')).toEqual(['6', '2', '0', '33%']);
    expect(await counts('check')).toEqual(['4', '0', '0', '0%']);
    expect(await counts('say_yes')).toEqual(['3', '0', '3', '100%']);
    expect(await counts('say_no')).toEqual(['1', '0', '1', '100%']);

    await hasText(label('check#1'), '75% (3)');
    await hasText(label('check#0'), '25% (1)');
    await hasText(label('ask#0'), '100% (4)');
    // Each transition's row says it too, those that ended the flow included.
    const shares = async (name: string) => (await widget(page, name).getByTestId('transition-share').allTextContents()).map((t) => t.trim());
    expect(await shares('ask')).toEqual(['100% (4)', '0% (0)', '0% (0)']);
    expect(await shares('check')).toEqual(['25% (1)', '75% (3)']);
    expect(await shares('say_yes')).toEqual(['100% (3)', '0% (0)']);
    const width = async (edge: string) => Number.parseFloat(await page.locator(`.react-flow__edge[data-id="${edge}"] path.react-flow__edge-path`).evaluate((p) => (p as unknown as { style: { strokeWidth: string } }).style.strokeWidth));
    expect(await width('check#1')).toBeGreaterThan(await width('check#0'));

    // Read-only: no palette, no layout.
    expect(await page.locator('[data-widget-type]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Auto-layout' }).isDisabled()).toBe(true);
  });

  it('sums up the executions, and charts a funnel and the days', async () => {
    const panel = page.getByRole('region', { name: 'Flow insights' });
    expect([await panel.getByTestId('insights-started').innerText(), await panel.getByTestId('insights-active').innerText(), await panel.getByTestId('insights-ended').innerText()]).toEqual(['6', '2', '4']);
    // The busiest path ends at say_yes: the funnel opens from the Trigger to it.
    await hasText(panel.getByTestId('funnel-figure'), '3 of 6 that entered Trigger reached say_yes (50%)');
    await panel.getByTestId('funnel-chart').locator('.recharts-wrapper > svg.recharts-surface').waitFor();
    await panel.getByLabel('To widget').selectOption('check');
    await hasText(panel.getByTestId('funnel-figure'), '4 of 6 that entered Trigger reached check (67%)');
    await panel.getByLabel('From widget').selectOption('ask');
    await hasText(panel.getByTestId('funnel-figure'), '4 of 6 that entered ask reached check (67%)');
    await panel.getByTestId('daily-chart').locator('.recharts-wrapper > svg.recharts-surface').waitFor();
    expect(await panel.getByTestId('daily-chart').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('editor-insights.png') });
  });

  it('reads again for another revision and another date range', async () => {
    const panel = page.getByRole('region', { name: 'Flow insights' });
    await panel.getByLabel('Revision').selectOption({ label: 'Revision 2' });
    await hasText(panel.getByTestId('insights-started'), '0');
    await hasText(stat('ask', 'reached'), '0');
    expect((await stat('ask', 'waiting').innerText()).trim()).toBe('0');
    expect(await label('check#1').count()).toBe(0);
    await panel.getByLabel('Revision').selectOption({ label: 'Revision 1' });
    await hasText(panel.getByTestId('insights-started'), '6');
    await hasText(stat('ask', 'reached'), '6');

    await panel.getByLabel('From', { exact: true }).fill('2020-01-01');
    await panel.getByLabel('To', { exact: true }).fill('2020-01-31');
    await hasText(panel.getByTestId('insights-started'), '0');
    await hasText(stat('say_yes', 'reached'), '0');
    await panel.getByTestId('daily-chart').getByText('No executions in this range.').waitFor();
    await panel.getByLabel('From', { exact: true }).fill('');
    await panel.getByLabel('To', { exact: true }).fill('');
    await hasText(panel.getByTestId('insights-started'), '6');
    await hasText(stat('say_yes', 'reached'), '3');
  });

  it('lists the executions waiting at a widget, and opens one as the Executions panel does', async () => {
    await widget(page, 'ask').locator('header').click();
    const list = page.getByTestId('waiting-executions');
    await list.waitFor();
    expect((await list.getByTestId('insight-execution').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { sid: string } }).dataset.sid))).sort()).toEqual(waiting);
    await page.getByTestId('insights-widget').getByText('Ended here (0)').waitFor();
    await page.getByTestId('insights-wait').filter({ hasText: 'Replies 4 · timeouts 0' }).waitFor();

    await widget(page, 'say_yes').locator('header').click();
    await page.getByTestId('ended-executions').waitFor();
    expect(await page.getByTestId('ended-executions').getByTestId('insight-execution').count()).toBe(3);

    await widget(page, 'ask').locator('header').click();
    await list.locator(`[data-sid="${waiting[0]}"]`).click();
    const detail = page.getByRole('region', { name: 'Execution', exact: true });
    await detail.locator('code', { hasText: waiting[0]! }).waitFor();
    await page.getByTestId('path-banner').filter({ hasText: waiting[0]! }).waitFor();
    // The counts stay on the canvas beside the path.
    expect((await stat('ask', 'waiting').innerText()).trim()).toBe('2');

    await page.getByRole('button', { name: 'Insights', exact: true }).click();
    await page.getByRole('tab', { name: 'Inspector' }).waitFor();
    expect(await page.getByTestId('widget-insight').count()).toBe(0);
    expect(await page.getByTestId('path-banner').count()).toBe(0);
  });
});
