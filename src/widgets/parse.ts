import type { z } from 'zod';
import { FlowError } from '../engine/errors';

/** Parses widget properties with a schema; bad properties end the execution with a clear reason. */
export function parseProperties<T>(type: string, schema: z.ZodType<T>, properties: Record<string, unknown>): T {
  const result = schema.safeParse(properties);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(properties)'}: ${i.message}`).join('; ');
  throw new FlowError('widget:invalid-properties', `Invalid ${type} properties: ${problems}`);
}
