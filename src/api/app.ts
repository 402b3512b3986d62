import express, { type Express } from 'express';
import type { Logger } from '../logger';
import { errorFunnel, notFound } from './middleware/errors';
import { healthRoutes, type HealthChecks } from './routes/health';

export interface AppDependencies {
  readonly logger: Logger;
  readonly health: HealthChecks;
}

/** The HTTP app: routes only translate HTTP to calls on their dependencies. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(healthRoutes(deps.health));
  app.use(notFound);
  app.use(errorFunnel(deps.logger));
  return app;
}
