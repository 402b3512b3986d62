import path from 'node:path';
import { isExecutable } from './cli';
import { goInstall, GoInstallError } from './go-install';

/**
 * Temporal's Web UI server for the cluster (the dev server has its own built in), built from its
 * Go module — the UI's assets are embedded in it — into `.tools/`. The newest release that builds
 * with the Go these machines have (later ones ask for Go 1.26.9 and up); docker-compose.yml runs
 * the same release as an image.
 */
export const TEMPORAL_UI_VERSION = '2.55.0';
const PACKAGE = 'github.com/temporalio/ui-server/v2/cmd/server';

export class TemporalUiUnavailableError extends Error {
  constructor(reason: string) {
    super(`Temporal's UI ${TEMPORAL_UI_VERSION} is not built, and it could not be built: ${reason}. It is built with go install ${PACKAGE}@v${TEMPORAL_UI_VERSION} into .tools/temporal-ui/ (once).`);
    this.name = 'TemporalUiUnavailableError';
  }
}

export async function provisionTemporalUi(options: { readonly toolsDir: string; readonly go?: string; readonly log?: (line: string) => void }): Promise<{ path: string; description: string }> {
  const bin = path.join(options.toolsDir, 'temporal-ui', TEMPORAL_UI_VERSION, 'bin');
  const server = path.join(bin, 'server');
  if (!isExecutable(server)) {
    options.log?.(`Building Temporal's UI server ${TEMPORAL_UI_VERSION} with go install (once; a few minutes)…`);
    await goInstall({ go: options.go ?? 'go', bin, pkg: PACKAGE, version: TEMPORAL_UI_VERSION }).catch((err: unknown) => {
      throw err instanceof GoInstallError ? new TemporalUiUnavailableError(err.reason) : err;
    });
  }
  return { path: server, description: `Temporal UI ${TEMPORAL_UI_VERSION} built from ${PACKAGE}` };
}
