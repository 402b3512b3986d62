export default async function globalTeardown(): Promise<void> {
  // Run once per tier that used the servers: the first stops them, the next finds nothing to stop.
  const [postgres, temporal] = [globalThis.__TEST_POSTGRES__, globalThis.__TEMPORAL_DEV_SERVER__];
  globalThis.__TEST_POSTGRES__ = undefined;
  globalThis.__TEMPORAL_DEV_SERVER__ = undefined;
  postgres?.stop();
  await temporal?.stop();
}
