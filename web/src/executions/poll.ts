import { useEffect, useRef } from 'react';

/**
 * Runs `task` every `everyMs` while mounted and `everyMs` is set (undefined: nothing is running,
 * so nothing polls). The next run is scheduled only once the previous one settled, so a slow
 * server never gets overlapping requests; unmount or a new interval cancels the pending one.
 */
export function usePoll(task: () => Promise<unknown>, everyMs: number | undefined): void {
  const latest = useRef(task);
  useEffect(() => {
    latest.current = task;
  });
  useEffect(() => {
    if (everyMs === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      // The task reports its own errors; polling carries on (the server may be restarting).
      await latest.current().catch(() => undefined);
      if (!stopped) timer = setTimeout(() => void tick(), everyMs);
    };
    timer = setTimeout(() => void tick(), everyMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [everyMs]);
}

/** False once the component unmounted: late answers must not redraw the canvas path. */
export function useAlive(): { readonly current: boolean } {
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  return alive;
}
