import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  readonly cliPath: string;
  /** Frontend bind address. */
  readonly ip: string;
  readonly port: number;
  /** Web UI port; `undefined` runs the server headless. */
  readonly uiPort?: number;
  /** Bind address of the UI (defaults to `ip`); `npm start` keeps it on loopback (TEMPORAL_UI_HOST). */
  readonly uiIp?: string;
  /** SQLite file; `undefined` keeps everything in memory (tests). */
  readonly dbFile?: string;
  readonly namespace: string;
  /** Names of the variables that chose the ports, for clear "port in use" messages. */
  readonly portVariables?: { port: string; uiPort: string };
  /** Extra `--dynamic-config-value` entries (values are JSON). */
  readonly dynamicConfig?: Readonly<Record<string, unknown>>;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface DevServer {
  readonly address: string;
  readonly uiUrl?: string;
  readonly pid: number;
  /** Resolves when the server process has exited (for any reason). */
  readonly exited: Promise<number | null>;
  /** Stops the server gracefully (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
const OUTPUT_TAIL_LINES = 30;

/**
 * Starts `temporal server start-dev` as a child process and resolves once its frontend answers
 * and the namespace exists. The child gets its own process group so that a terminal Ctrl-C
 * reaches only us: we stop the worker first and the server last, in order.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const vars = options.portVariables ?? { port: 'port', uiPort: 'UI port' };
  await assertPortFree(options.ip, options.port, vars.port);
  if (options.uiPort !== undefined) await assertPortFree(options.uiIp ?? options.ip, options.uiPort, vars.uiPort);

  const child = spawn(options.cliPath, devServerArgs(options), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  // A crash of ours must not leave the server running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const address = `${options.ip}:${options.port}`;
  try {
    await Promise.race([
      waitUntilReady(address, options.namespace, options.startTimeoutMs ?? 60_000),
      exited.then((code) => {
        throw new Error(`the Temporal dev server exited during start (code ${code}):\n${tail.join('\n')}`);
      }),
    ]);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${displayHost(options.uiIp ?? options.ip)}:${options.uiPort}`,
    pid: child.pid ?? -1,
    exited,
    stop: () => {
      stopping ??= stopChild(child, exited).finally(() => process.removeListener('exit', killOnExit));
      return stopping;
    },
  };
}

function devServerArgs(o: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', o.ip, '--port', String(o.port), '--namespace', o.namespace];
  args.push('--log-level', 'warn', '--log-format', 'json');
  if (o.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort), '--ui-ip', o.uiIp ?? o.ip);
  if (o.dbFile !== undefined) args.push('--db-filename', o.dbFile, '--sqlite-pragma', 'journal_mode=wal');
  for (const [key, value] of Object.entries(o.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

async function assertPortFree(ip: string, port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `${variable} ${port} is already in use on ${ip}: is another Temporal server running? Stop it or choose another ${variable}.`
            : `${variable} ${port} cannot be bound on ${ip}: ${err.message}`,
        ),
      ),
    );
    probe.listen({ host: ip, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function waitUntilReady(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace }));
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the Temporal dev server did not become ready at ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** The host part of a URL for a bind address: `localhost` for the usual local ones, IPv6 in brackets. */
function displayHost(ip: string): string {
  if (['0.0.0.0', '127.0.0.1', '::', '::1'].includes(ip)) return 'localhost';
  return net.isIPv6(ip) ? `[${ip}]` : ip;
}
