import type { z } from 'zod';
import { FlowError } from '../engine/errors';

/** Parses widget properties with a schema; bad properties end the execution with a clear reason. */
export function parseProperties<T>(type: string, schema: z.ZodType<T>, properties: Record<string, unknown>): T {
  const result = schema.safeParse(properties);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(properties)'}: ${i.message}`).join('; ');
  throw new FlowError('widget:invalid-properties', `Invalid ${type} properties: ${problems}`);
}

/**
 * A schema built on its first use and kept from then on. Widget modules build no zod schema when
 * they load, because every Temporal workflow (one per execution) evaluates them anew: building
 * every widget's schema up front was most of a short execution's workflow task, for widgets the
 * flow never runs. Lazily, only the widgets a flow runs pay, once per workflow. (Sharing the
 * modules between workflows is no way out: the SDK deep-freezes shared modules, and zod writes
 * lazy caches into its schema objects.)
 */
export function lazySchema<T extends z.ZodType>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}
