import { PREBUILT_BUNDLE, writeWorkflowBundle } from '../src/temporal/workflow-bundle';
import { WORKFLOWS_PATH } from '../src/temporal/worker';

/** `npm run build`'s last step: the workflow bundle the worker loads instead of running webpack at start. */
writeWorkflowBundle(WORKFLOWS_PATH).then(
  (bytes) => process.stdout.write(`workflow bundle: ${PREBUILT_BUNDLE} (${Math.round(bytes / 1024)} KiB)\n`),
  (err: unknown) => {
    process.stderr.write(`bundling the workflows failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
