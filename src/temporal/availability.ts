import { isGrpcServiceError, type Connection } from '@temporalio/client';
import type { RequestHandler } from 'express';

/** gRPC status codes that mean "the server is not there" rather than "the call was wrong". */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** True when `err` (or a cause of it) says the Temporal frontend could not be reached in time. */
export function isTemporalUnreachable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && [UNAVAILABLE, DEADLINE_EXCEEDED].includes(Number(e.code))) return true;
  }
  return false;
}

export interface AvailabilityOptions {
  /** Every Temporal call a request makes must finish within this (TEMPORAL_CALL_TIMEOUT_MS). */
  readonly callTimeoutMs: number;
  /** How often to look for the server again once it was unreachable. */
  readonly probeIntervalMs: number;
  readonly namespace: string;
}

/**
 * Keeps requests from hanging on an absent Temporal server. Each request's Temporal calls run
 * under one deadline; once a call finds the server unreachable, later requests get an expired
 * deadline, so their calls fail at once (and answer 503) until a background probe reaches the
 * server again. Requests that need no Temporal call never notice.
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

  /** Called with a request's error: an unreachable server starts the probe. */
  noteFailure(err: unknown): boolean {
    if (!isTemporalUnreachable(err)) return false;
    this.markUnreachable();
    return true;
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

  private markUnreachable(): void {
    if (this.unreachableSince !== undefined) return;
    this.unreachableSince = Date.now();
    this.probe = setInterval(() => {
      this.probing ??= this.check(this.options.probeIntervalMs).finally(() => (this.probing = undefined));
    }, this.options.probeIntervalMs);
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
