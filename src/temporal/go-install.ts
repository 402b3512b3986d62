import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why a Go build could not happen: no toolchain, or `go install` failed (its last lines). */
export class GoInstallError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'GoInstallError';
  }
}

/**
 * `go install <pkg>@<version>` into `bin`, with the machine's own toolchain (no toolchain
 * download): how Temporal's server, its SQL tool and its UI server are built into `.tools/`.
 */
export async function goInstall(options: { go: string; bin: string; pkg: string; version: string }): Promise<void> {
  const env = goEnv(options.bin);
  try {
    await run(options.go, ['version'], { timeout: 30_000 });
  } catch {
    throw new GoInstallError(`no Go toolchain (\`${options.go}\` did not run)`);
  }
  try {
    await run(options.go, ['install', `${options.pkg}@v${options.version}`], { env, timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
    throw new GoInstallError(`go install ${options.pkg}: ${stderr.split('\n').slice(-3).join(' ')}`);
  }
}

export function goEnv(bin: string): NodeJS.ProcessEnv {
  return { ...process.env, GOBIN: bin, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' };
}
