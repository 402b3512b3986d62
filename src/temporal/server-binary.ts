import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './cli';
import { goEnv, goInstall, GoInstallError } from './go-install';

const run = promisify(execFile);

/**
 * Temporal's own server (the production shape: PostgreSQL persistence, SQL visibility) and its
 * SQL schema tool, built from the Go module at a pinned version into the project's `.tools/`.
 * Versions from 1.31 need a newer Go than these machines have; 1.30.4 builds with Go 1.26.
 */
export const TEMPORAL_SERVER_VERSION = '1.30.4';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  readonly server: string;
  readonly sqlTool: string;
  /** The module's own PostgreSQL schema folder (`schema/postgresql/v12`). */
  readonly schemaDir: string;
  readonly description: string;
}

export interface ServerProvisionOptions {
  readonly toolsDir: string;
  /** `go` on PATH by default. */
  readonly go?: string;
  readonly log?: (line: string) => void;
}

export class TemporalServerUnavailableError extends Error {
  constructor(reason: string) {
    super(
      [
        `Temporal's server ${TEMPORAL_SERVER_VERSION} is not built, and it could not be built: ${reason}`,
        'It is built from its Go module into .tools/temporal-server/ (a few minutes, once). Install Go 1.24 or newer',
        `(https://go.dev/dl/), or build it yourself: go install ${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION} and`,
        `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION} with GOBIN=.tools/temporal-server/${TEMPORAL_SERVER_VERSION}/bin.`,
      ].join('\n'),
    );
    this.name = 'TemporalServerUnavailableError';
  }
}

/** Finds the built server and SQL tool, building them with `go install` when they are missing. */
export async function provisionTemporalServer(options: ServerProvisionOptions): Promise<TemporalServerBinaries> {
  const go = options.go ?? 'go';
  const bin = path.join(options.toolsDir, 'temporal-server', TEMPORAL_SERVER_VERSION, 'bin');
  const server = path.join(bin, 'server');
  const sqlTool = path.join(bin, 'sql');
  const env = goEnv(bin);
  if (!(isExecutable(server) && isExecutable(sqlTool))) {
    for (const cmd of ['cmd/server', 'cmd/tools/sql']) {
      options.log?.(`Building Temporal's ${cmd.split('/').pop()!} ${TEMPORAL_SERVER_VERSION} with go install (once; a few minutes)…`);
      await goInstall({ go, bin, pkg: `${MODULE}/${cmd}`, version: TEMPORAL_SERVER_VERSION }).catch((err: unknown) => {
        throw err instanceof GoInstallError ? new TemporalServerUnavailableError(err.reason) : err;
      });
    }
  }
  const modCache = (await run(go, ['env', 'GOMODCACHE'], { env, timeout: 30_000 }).catch(() => ({ stdout: '' }))).stdout.trim();
  let schemaDir = path.join(modCache, `${MODULE}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!fs.existsSync(schemaDir)) {
    // Binaries built elsewhere: fetch the module's source (the schema files) into the cache.
    await run(go, ['mod', 'download', `${MODULE}@v${TEMPORAL_SERVER_VERSION}`], { env, timeout: 10 * 60_000 }).catch(() => undefined);
    schemaDir = path.join(modCache, `${MODULE}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
    if (!fs.existsSync(schemaDir)) throw new TemporalServerUnavailableError(`its PostgreSQL schema is not in the Go module cache (${schemaDir})`);
  }
  return { server, sqlTool, schemaDir, description: `Temporal server ${TEMPORAL_SERVER_VERSION} built from ${MODULE} (${bin})` };
}
