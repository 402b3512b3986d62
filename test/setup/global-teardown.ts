export default async function globalTeardown(): Promise<void> {
  globalThis.__TEST_POSTGRES__?.stop();
  await globalThis.__TEMPORAL_DEV_SERVER__?.stop();
}
