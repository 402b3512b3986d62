/**
 * What a worker process is started with, beside its settings: one place that `npm run
 * worker`, `npm run cluster`, docker-compose.yml and the bench follow (a test holds them to it).
 *
 * MALLOC_ARENA_MAX: glibc gives each thread that allocates its own malloc arena, up to eight
 * per core, and memory freed in one stays there. A worker runs Core's Rust threads, V8's and
 * the SDK's workflow thread; two arenas took about 60 MiB off its resident memory with 2,000
 * executions waiting, at no measurable cost (BENCHMARKS.md, "Worker memory"). glibc reads it
 * when the process starts, so it cannot be a setting the worker applies to itself. An
 * operator's own value wins.
 */
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** `env` with the worker's defaults under it. */
export function workerProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...WORKER_PROCESS_ENV, ...env };
}
