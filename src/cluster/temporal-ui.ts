import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export interface RunningTemporalUi {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Temporal's UI server in front of the cluster's frontend, on loopback: its configuration file
 * (`<dir>/config/cluster.yaml`) names the frontend, the port and the namespace it opens on.
 */
export async function startTemporalUi(binary: string, settings: { dir: string; temporalAddress: string; port: number; namespace: string }): Promise<RunningTemporalUi> {
  const configDir = path.join(settings.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const config = { temporalGrpcAddress: settings.temporalAddress, host: '127.0.0.1', port: settings.port, publicPath: '', enableUi: true, defaultNamespace: settings.namespace, showTemporalSystemNamespace: false, notifyOnNewVersion: false, cors: { cookieInsecure: true, allowOrigins: [] } };
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), stringify(config));
  const log = fs.openSync(path.join(settings.dir, 'ui.log'), 'a');
  const child = spawn(binary, ['--root', settings.dir, '--config', 'config', '--env', 'cluster', 'start'], { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://localhost:${settings.port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal's UI exited during start (code ${child.exitCode}); see ${path.join(settings.dir, 'ui.log')}`);
    if ((await fetch(`http://127.0.0.1:${settings.port}/`).catch(() => undefined))?.ok) break;
    if (Date.now() > deadline) throw new Error(`Temporal's UI did not answer within 30 s; see ${path.join(settings.dir, 'ui.log')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.closeSync(log);
    },
  };
}
