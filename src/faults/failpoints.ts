/**
 * Named places where the fault suite (`npm run test:faults`) makes a process fail on purpose,
 * as FoundationDB's and etcd's failpoints do: `FAILPOINTS=executions.after-start=crash` kills
 * the API right after it started an execution and before it answers. Unset (always, outside
 * that suite), every failpoint is a no-op. `messaging.before-taken` kills the API after it delivered
 * an inbound message and before it recorded it as taken.
 */
export type FailpointName = 'executions.after-start' | 'messaging.before-taken';
type Action = 'crash';

const configured = parse(process.env.FAILPOINTS ?? '');

function parse(spec: string): Map<string, Action> {
  const points = new Map<string, Action>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, action] = entry.split('=');
    if (name && action === 'crash') points.set(name, action);
  }
  return points;
}

/** Acts out the failpoint `name` when FAILPOINTS names it; otherwise does nothing. */
export function failpoint(name: FailpointName): void {
  if (configured.get(name) === 'crash') process.kill(process.pid, 'SIGKILL');
}
