import { Router } from 'express';

export interface HealthChecks {
  temporal(): Promise<boolean>;
  store(): Promise<boolean>;
  /** True once the process is shutting down: a load balancer should send no more. */
  draining?(): boolean;
}

/**
 * `GET /health` (no auth): 200 when Temporal and the store both answer, else 503 naming the
 * part that does not. Checks run in parallel, each bounded by its own deadline.
 */
export function healthRoutes(checks: HealthChecks): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    if (checks.draining?.()) return void res.status(503).set('Cache-Control', 'no-store').json({ status: 'draining' });
    const [temporal, store] = await Promise.all([checks.temporal(), checks.store()]);
    const ok = temporal && store;
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ok ? 'ok' : 'unavailable', temporal: temporal ? 'ok' : 'unavailable', store: store ? 'ok' : 'unavailable' });
  });
  return router;
}
