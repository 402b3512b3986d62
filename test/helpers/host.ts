import type { EngineHost } from '../../src/engine/host';

/** A deterministic host: time advances one second per call from a fixed start, ids count up. */
export function scriptedHost(start = Date.UTC(2026, 0, 1)): EngineHost & { readonly sids: string[] } {
  let tick = 0;
  const sids: string[] = [];
  return {
    sids,
    now: () => new Date(start + 1000 * tick++),
    newSid: (prefix) => {
      const sid = `${prefix}${(sids.length + 1).toString(16).padStart(32, '0')}`;
      sids.push(sid);
      return sid;
    },
  };
}
