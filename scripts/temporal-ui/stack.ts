import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths';
import { freePorts } from '../../src/net/ports';

/**
 * `npm start` as a user runs it — the built entry point with the embedded Temporal dev server
 * (UI included), the worker and the API — in a throwaway DATA_DIR on free ports. The Temporal
 * UI URL is read from the start banner, the very line a user would open.
 */
export interface Stack {
  readonly apiUrl: string;
  readonly uiUrl: string;
  /** The embedded dev server's frontend. */
  readonly temporalAddress: string;
  readonly account: { readonly accountSid: string; readonly authToken: string };
  output(): string;
  /** SIGTERM (the app stops its dev server itself), wait, remove DATA_DIR. Idempotent. */
  stop(): Promise<void>;
}

export interface StackOptions {
  /** A Temporal CLI to use instead of the app's own provisioning. */
  readonly temporalCliPath?: string;
  readonly startTimeoutMs?: number;
}

const STOP_GRACE_MS = 20_000;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const root = projectRoot();
  const entry = path.join(root, 'dist/src/main.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ui-'));
  const account = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  const [port, temporalPort, uiPort] = (await freePorts(3)) as [number, number, number];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TWILIO_ACCOUNT_SID: account.accountSid,
    TWILIO_AUTH_TOKEN: account.authToken,
    LOG_LEVEL: 'warn',
    ...(options.temporalCliPath ? { TEMPORAL_CLI_PATH: options.temporalCliPath } : {}),
  };
  // Its own process group, as in a terminal; the app stops the dev server on SIGTERM.
  const child = spawn(process.execPath, [entry], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (running()) process.kill(-child.pid!, name);
    } catch {
      // the group ended between the check and the signal
    }
  };
  // If we die first, the app still gets its SIGTERM and takes its dev server down with it.
  const terminate = (): void => signal('SIGTERM');
  process.once('exit', terminate);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      terminate();
      const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', terminate);
      fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const uiUrl = await waitForBanner(() => output, running, options.startTimeoutMs ?? 90_000);
    return { apiUrl: `http://127.0.0.1:${port}`, uiUrl, temporalAddress: `127.0.0.1:${temporalPort}`, account, output: () => output, stop };
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- app output ---\n${output}`);
  }
}

/** The banner's "Temporal UI:" line, once the whole banner (and so the API) is up. */
async function waitForBanner(output: () => string, running: () => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = output();
    const ui = /Temporal UI:\s+(http\S+)/.exec(text)?.[1];
    if (text.includes('Ctrl-C stops it') && ui) return ui;
    if (!running()) throw new Error('the app exited during start');
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no start banner with a Temporal UI URL within ${timeoutMs} ms`);
}
