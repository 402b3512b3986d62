import { isGrpcServiceError, NamespaceNotFoundError, type Connection } from '@temporalio/client';
import type { RequestHandler } from 'express';

/** What a failed Temporal call says, by its gRPC status. */
export type TemporalFailure =
  /** UNAVAILABLE: the frontend could not be reached. */
  | 'unavailable'
  /** DEADLINE_EXCEEDED: no answer in time — an absent server, or a slow or retried call. */
  | 'deadline'
  /** INVALID_ARGUMENT: the server refused what the call carried (the request's own input). */
  | 'invalid-argument'
  /**
   * The namespace, made at start, not found: the server answers so for a while when its own
   * database is away (seen restarting PostgreSQL under load) — or an operator deleted it.
   */
  | 'namespace-not-found';

const FAILURES: Readonly<Record<number, TemporalFailure>> = { 14: 'unavailable', 4: 'deadline', 3: 'invalid-argument' };

/** The gRPC status of `err` (or of the first cause that has one), when it is one of those. */
export function temporalFailureOf(err: unknown): TemporalFailure | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof NamespaceNotFoundError) return 'namespace-not-found';
    if (isGrpcServiceError(e)) return FAILURES[Number(e.code)];
  }
  return undefined;
}

export interface AvailabilityOptions {
  /** Every Temporal call a request makes must finish within this (TEMPORAL_CALL_TIMEOUT_MS). */
  readonly callTimeoutMs: number;
  /** How often to look for the server again once it was unreachable. */
  readonly probeIntervalMs: number;
  /** How long the probe after a timed-out call waits for the server (default 1 s). */
  readonly probeTimeoutMs?: number;
  readonly namespace: string;
}

/**
 * Keeps requests from hanging on an absent Temporal server. Each request's Temporal calls run
 * under one deadline; once the server is found away, later requests get an expired deadline, so
 * their calls fail at once (and answer 503) until a background probe reaches the server again.
 * Requests that need no Temporal call never notice.
 *
 * The latch is process-wide, so only the transport may trip it, never one request's input: an
 * UNAVAILABLE call trips it; a call that ran out of time only when a probe made right then fails
 * too (a slow query, or a server error the client retried until the deadline, is that request's
 * alone); any other error never does.
 */
export class TemporalAvailability {
  private unreachableSince: number | undefined;
  private probe: ReturnType<typeof setInterval> | undefined;
  /** The probe's call in flight: closing waits for it, so no call outlives the connection. */
  private probing: Promise<boolean> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly options: AvailabilityOptions,
  ) {}

  get reachable(): boolean {
    return this.unreachableSince === undefined;
  }

  /** Express middleware: runs the rest of the request under the Temporal deadline. */
  readonly deadline: RequestHandler = (_req, _res, next) => {
    const deadline = this.reachable ? Date.now() + this.options.callTimeoutMs : Date.now() - 1;
    void this.connection.withDeadline(deadline, () => {
      next();
      return Promise.resolve();
    });
  };

  /**
   * Called with a request's error; true when it means the server is away (the latch is then
   * set). A deadline is confirmed by a probe first, one for all the requests that wait on it.
   */
  async noteFailure(err: unknown): Promise<boolean> {
    const failure = temporalFailureOf(err);
    if (failure === 'unavailable') {
      this.markUnreachable();
      return true;
    }
    if (failure !== 'deadline') return false;
    if (!this.reachable) return true;
    return !(await this.probeOnce(this.options.probeTimeoutMs ?? 1_000));
  }

  /**
   * Asks the server now (`/health`): the answer also sets or clears the unreachable state, so
   * a healthy report and requests that work always go together.
   */
  async check(timeoutMs = 2_000): Promise<boolean> {
    try {
      const { namespace } = this.options;
      await this.connection.withDeadline(Date.now() + timeoutMs, () => this.connection.workflowService.describeNamespace({ namespace }));
      this.markReachable();
      return true;
    } catch {
      this.markUnreachable();
      return false;
    }
  }

  /** Stops probing; resolves once a probe in flight has ended. */
  async close(): Promise<void> {
    this.stopProbing();
    await this.probing;
  }

  /** A check, shared with any already in flight. */
  private probeOnce(timeoutMs: number): Promise<boolean> {
    this.probing ??= this.check(timeoutMs).finally(() => (this.probing = undefined));
    return this.probing;
  }

  private markUnreachable(): void {
    if (this.unreachableSince !== undefined) return;
    this.unreachableSince = Date.now();
    this.probe = setInterval(() => void this.probeOnce(this.options.probeIntervalMs), this.options.probeIntervalMs);
    this.probe.unref();
  }

  private markReachable(): void {
    this.unreachableSince = undefined;
    this.stopProbing();
  }

  private stopProbing(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }
}
