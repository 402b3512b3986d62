import { FlowError } from '../engine/errors';
import type { Issue, Reader } from './props';

/** Reads widget properties; bad properties end the execution with a clear reason. */
export function parseProperties<T>(type: string, reader: Reader<T>, properties: Record<string, unknown>): T {
  const issues: Issue[] = [];
  const props = reader.read(properties, issues);
  if (issues.length === 0) return props;
  const problems = issues.map((i) => `${i.path.join('.') || '(properties)'}: ${i.message}`).join('; ');
  throw new FlowError('widget:invalid-properties', `Invalid ${type} properties: ${problems}`);
}
