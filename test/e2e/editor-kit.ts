import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';

/** What the editor's browser tests share: signing in, watching the console, gestures, frame times. */

/** Every console error and uncaught page error, with where it happened. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // React puts the component stack in a later argument: keep it, it says where the error is.
    void Promise.all(message.args().map((a) => a.jsonValue().catch(() => '?'))).then((args) => {
      const detail = args.slice(1).filter((a): a is string => typeof a === 'string' && a.includes('\n')).join(' ').slice(0, 600);
      errors.push(`console: ${message.text().slice(0, 300)}${detail ? ` [${detail}]` : ''} (${message.location().url})`);
    });
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}${process.env.EDITOR_STACKS ? ` ${error.stack ?? ''}` : ''}`));
  return errors;
}

/**
 * Takes out of `errors` the browser's own log line for a request a test made fail on purpose
 * (Chromium logs every 4xx/5xx answer to fetch as a console error); anything else stays.
 */
export function expectedFailure(errors: string[], status: number, path: string): void {
  const line = errors.findIndex((e) => e.includes(`status of ${status}`) && e.includes(path));
  if (line === -1) throw new Error(`no console line for the expected ${status} from ${path}; console: ${JSON.stringify(errors)}`);
  errors.splice(line, 1);
}

export async function signIn(page: Page, url: string, account: { accountSid: string; authToken: string }): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Account SID').fill(account.accountSid);
  await page.getByLabel('Auth Token').fill(account.authToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Flows' }).waitFor();
}

/** Opens a flow in the editor and waits until its widgets are on the canvas. */
export async function openFlow(page: Page, url: string, sid: string, widgets: number): Promise<void> {
  await page.goto(`${url}/#/flows/${sid}`);
  await page.locator('.react-flow__node').nth(widgets - 1).waitFor();
}

export function widget(page: Page, name: string): Locator {
  return page.locator(`.react-flow__node[data-id="${name}"]`);
}

/** Drags a palette widget onto the canvas at (x, y) relative to the canvas's top-left corner. */
export async function dropWidget(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  await page.dragAndDrop(`[data-widget-type="${type}"]`, '[data-testid="canvas"] .react-flow__pane', { targetPosition: at });
}

/** Draws a transition: from the handle of `event` on widget `from` to the top of widget `to`. */
export async function drawTransition(page: Page, from: string, event: string, to: string): Promise<void> {
  const source = widget(page, from).locator(`li[data-event="${event}"] .react-flow__handle`).first();
  const target = widget(page, to).locator('.target-handle');
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** The page's globals the frame recorder uses (the test code is typed without the DOM library). */
interface PageGlobals {
  __frames: number[];
  __measuring: boolean;
  requestAnimationFrame(callback: (time: number) => void): number;
}

/** Clicks a transition's line halfway along it (the middle of its box may be off a curve). */
export async function clickEdge(page: Page, id: string): Promise<void> {
  const point = await page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`).evaluate((element) => {
    const path = element as unknown as { getTotalLength(): number; getPointAtLength(l: number): { x: number; y: number; matrixTransform(m: unknown): { x: number; y: number } }; getScreenCTM(): unknown };
    const at = path.getPointAtLength(path.getTotalLength() / 2).matrixTransform(path.getScreenCTM());
    return { x: at.x, y: at.y };
  });
  await page.mouse.click(point.x, point.y);
}

export interface FrameFigures {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly fps: number;
  /** Frames over 50 ms (what a user sees as a stutter). */
  readonly longFrames: number;
}

/**
 * Pans the canvas by dragging its background `steps` times and records the time between
 * animation frames meanwhile (requestAnimationFrame timestamps in the page). Figures only: no
 * test asserts on time.
 */
export async function panAndMeasure(page: Page, steps: number, stride = 12): Promise<FrameFigures> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__frames = [];
    w.__measuring = true;
    let last = 0;
    const tick = (t: number) => {
      if (last) w.__frames.push(t - last);
      last = t;
      if (w.__measuring) w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
  const start = { x: pane.x + pane.width * 0.8, y: pane.y + pane.height * 0.8 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    const back = i > steps / 2 ? steps - i : i;
    await page.mouse.move(start.x - back * stride, start.y - back * (stride / 2));
    await page.evaluate(() => new Promise((r) => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => r(undefined))));
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__measuring = false;
    return w.__frames;
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const total = frames.reduce((a, b) => a + b, 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { frames: frames.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1) ?? 0), fps: round((frames.length * 1000) / (total || 1)), longFrames: frames.filter((f) => f > 50).length };
}

/**
 * A valid flow of `count` widgets: the Trigger, then rows of Split → Set Variables / Send
 * Message branches, every widget connected, laid out on a grid as Studio exports place them.
 */
export function bigFlow(count: number): FlowDefinition {
  const states: FlowState[] = [];
  const name = (i: number) => `w${i}`;
  const at = (i: number) => ({ x: (i % 20) * 300, y: Math.floor(i / 20) * 260 });
  states.push({ name: 'Trigger', type: 'trigger', properties: { offset: { x: 0, y: -300 } }, transitions: [{ event: 'incomingMessage', next: name(1) }, { event: 'incomingCall' }, { event: 'incomingConversationMessage' }, { event: 'incomingRequest', next: name(1) }, { event: 'incomingParent' }] });
  for (let i = 1; i < count; i++) {
    const next = i + 1 < count ? name(i + 1) : undefined;
    const after = i + 2 < count ? name(i + 2) : undefined;
    if (i % 3 === 1) {
      states.push({
        name: name(i),
        type: 'split-based-on',
        properties: { input: '{{trigger.message.Body}}', offset: at(i) },
        transitions: [{ event: 'noMatch', ...(next ? { next } : {}) }, { event: 'match', ...(after ? { next: after } : {}), conditions: [{ friendly_name: `is ${i}`, arguments: ['{{trigger.message.Body}}'], type: 'equal_to', value: String(i) }] }],
      });
    } else if (i % 3 === 2) {
      states.push({ name: name(i), type: 'set-variables', properties: { variables: [{ key: `v${i}`, value: `{{flow.variables.v${i - 1} | default: ${i}}}` }], offset: at(i) }, transitions: [{ event: 'next', ...(next ? { next } : {}) }] });
    } else {
      states.push({ name: name(i), type: 'send-message', properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: `Step ${i}`, offset: at(i) }, transitions: [{ event: 'sent', ...(next ? { next } : {}) }, { event: 'failed' }] });
    }
  }
  return { description: `${count} widgets`, initial_state: 'Trigger', flags: { allow_concurrent_calls: true }, states };
}

/** Where screenshots go: `SCREENSHOT_DIR` (`npm run screenshot:editor` sets docs/), else a temporary folder. */
export function screenshotPath(file: string): string {
  const dir = process.env.SCREENSHOT_DIR ?? path.join(process.env.TMPDIR ?? '/tmp', 'open-studio-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
}
