import { useCallback, useEffect, useState } from 'react';
import type { ExecutionResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { endExecution, executionPathOf, executionsPath, fetchSteps, newestFirst, pathOfExecution } from '../executions/api';
import { useAlive, usePoll } from '../executions/poll';

/** How often a running execution (and the chat) is read: close to live without flooding the API. */
export const LIVE_POLL_MS = 700;
/** How long to look for the execution a message or call started (Temporal's list lags a little). */
const DISCOVERY_MS = 15_000;

export interface LiveExecution {
  /** The contact's latest execution of the flow, as last read. */
  readonly execution: ExecutionResource | undefined;
  /** True while looking for the execution, or while it is active: only then does anything poll. */
  readonly running: boolean;
  readonly error: string | undefined;
  /** After sending traffic: find the execution it started (or the active one it joined). */
  readonly discover: () => void;
  /** Follow an execution known already (a REST start answers with it). */
  readonly follow: (execution: ExecutionResource) => void;
  /** Ends the active execution and clears its path. */
  readonly reset: () => Promise<void>;
}

/**
 * The contact's execution of the flow, followed live: its status, and its path on the canvas.
 * The API cannot filter executions by contact, so the newest of the flow's first page is taken.
 */
export function useLiveExecution(ctx: EditorContext, contact: string): LiveExecution {
  const { api, flow, definition, showPath } = ctx;
  const [execution, setExecution] = useState<ExecutionResource>();
  // While set, the next execution that is active or not `previous` is the one the traffic made.
  const [seeking, setSeeking] = useState<{ previous: string | undefined; until: number }>();
  const [error, setError] = useState<string>();
  const alive = useAlive();

  const latest = useCallback(async () => {
    const page = await api.get<{ executions: ExecutionResource[] }>(executionsPath(flow.sid), { PageSize: 50 });
    return newestFirst(page.executions.filter((e) => e.contact_channel_address === contact))[0];
  }, [api, flow.sid, contact]);

  // The contact's last execution is the baseline: an active one is followed right away (the panel
  // was reopened mid-conversation); an ended one only tells discovery what is not new.
  useEffect(() => {
    let stale = false;
    setExecution(undefined);
    setSeeking(undefined);
    latest().then((found) => !stale && setExecution(found), (err: unknown) => !stale && setError(describe(err)));
    return () => {
      stale = true;
    };
  }, [latest]);

  const tick = useCallback(async () => {
    try {
      let current = execution;
      if (seeking) {
        const found = await latest();
        if (found && (found.status === 'active' || found.sid !== seeking.previous)) {
          current = found;
          setSeeking(undefined);
        } else {
          if (Date.now() > seeking.until) {
            setSeeking(undefined);
            setError('No execution of this flow started for this contact.');
          }
          return;
        }
      }
      if (!current) return;
      const [next, steps] = await Promise.all([api.get<ExecutionResource>(executionPathOf(flow.sid, current.sid)), fetchSteps(api, flow.sid, current.sid)]);
      const path = await pathOfExecution(api, flow, definition, next, steps);
      if (!alive.current) return;
      setExecution(next);
      showPath(path);
      setError(undefined);
    } catch (err) {
      if (alive.current) setError(describe(err));
    }
  }, [api, flow, definition, showPath, execution, seeking, latest, alive]);

  const running = seeking !== undefined || execution?.status === 'active';
  usePoll(tick, running ? LIVE_POLL_MS : undefined);

  const discover = useCallback(() => {
    setError(undefined);
    // Traffic to an active execution went to it (one execution per contact): the contact's newest
    // execution is the one to follow, even when it is that one, now ended. Only an ended one is
    // known not to be new.
    setSeeking({ previous: execution?.status === 'active' ? undefined : execution?.sid, until: Date.now() + DISCOVERY_MS });
  }, [execution]);

  const follow = useCallback((next: ExecutionResource) => {
    setSeeking(undefined);
    setExecution(next);
  }, []);

  const reset = useCallback(async () => {
    setSeeking(undefined);
    showPath(undefined);
    if (execution?.status !== 'active') return;
    try {
      setExecution(await endExecution(api, flow.sid, execution.sid));
    } catch (err) {
      setError(describe(err));
    }
  }, [api, flow.sid, execution, showPath]);

  return { execution, running, error, discover, follow, reset };
}
