import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WORKER_PROCESS_ENV, workerProcessEnv } from '../../src/config/worker-process';

/** `npm run worker` and docker-compose.yml start a worker as `npm run cluster` and the bench do (src/config/worker-process.ts). */
describe("the worker process's environment", () => {
  const root = path.resolve(__dirname, '../..');

  it('is what `npm run worker` sets, an operator’s value first', () => {
    const script = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.worker!;
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) expect(script).toContain(`${name}=\${${name}:-${value}}`);
    expect(script).toMatch(/node dist\/src\/main\.js worker$/);
  });

  it("is what docker-compose.yml's workers run with", () => {
    const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) expect(compose.services.worker?.environment?.[name]).toBe(`\${${name}:-${value}}`);
    // Only the workers: the API processes keep glibc's default.
    expect(compose.services.api?.environment?.MALLOC_ARENA_MAX).toBeUndefined();
  });

  it('lies under what the environment already says', () => {
    expect(workerProcessEnv({ MALLOC_ARENA_MAX: '8', X: '1' })).toEqual({ MALLOC_ARENA_MAX: '8', X: '1' });
    expect(workerProcessEnv({})).toEqual(WORKER_PROCESS_ENV);
  });
});
