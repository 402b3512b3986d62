import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExecutionResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { executionsPath, newestFirst } from './api';
import { ExecutionDetail } from './ExecutionDetail';
import { ExecutionFilters, NO_FILTER, type Filter } from './ExecutionFilters';
import { formatDate } from './format';
import './executions.css';

/**
 * The execution opened in each flow, kept across tab switches: picking a step selects its widget,
 * which brings the Inspector forward and unmounts this panel; coming back reopens the execution.
 */
const opened = new Map<string, string>();

/** The flow's executions, newest first, filtered; one of them opened below the list. */
export function ExecutionsPanel({ ctx }: { ctx: EditorContext }) {
  const { api, flow } = ctx;
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [executions, setExecutions] = useState<ExecutionResource[]>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<string | undefined>(() => opened.get(flow.sid));

  const { status, from, to } = filter;
  const load = useCallback(async () => {
    setError(undefined);
    try {
      const query = { Status: status || undefined, DateCreatedFrom: isoOf(from), DateCreatedTo: isoOf(to) };
      setExecutions(newestFirst(await api.list<ExecutionResource>(executionsPath(flow.sid), 'executions', query, 500)));
    } catch (err) {
      setError(describe(err));
    }
  }, [api, flow.sid, status, from, to]);
  useEffect(() => void load(), [load]);

  const choose = (sid: string | undefined) => {
    if (sid) opened.set(flow.sid, sid);
    else opened.delete(flow.sid);
    setOpen(sid);
  };

  // The contact filter is a substring of the address: the API has no such filter.
  const shown = useMemo(() => executions?.filter((e) => e.contact_channel_address.toLowerCase().includes(filter.contact.trim().toLowerCase())), [executions, filter.contact]);

  return (
    <div className="executions">
      <ExecutionFilters filter={filter} onChange={setFilter} onRefresh={() => void load()} />
      {error && <p className="error" role="alert">{error}</p>}
      {!shown && !error && <p className="loading">Loading executions…</p>}
      {shown?.length === 0 && <p className="empty">No executions{executions?.length ? ' match the filters' : ' yet'}.</p>}
      {shown && shown.length > 0 && (
        <ul className="execution-list" aria-label="Executions">
          {shown.map((e) => (
            <li key={e.sid}>
              <button type="button" data-testid="execution-row" className={`execution-row${e.sid === open ? ' open' : ''}`} onClick={() => choose(e.sid)} title={e.sid}>
                <span className="contact">{e.contact_channel_address}</span>
                <span className={`exec-status ${e.status}`}>{e.status}</span>
                <span className="date">{formatDate(e.date_created)}</span>
                <span className="version" title="The flow revision it ran">rev {e.flow_version}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && <ExecutionDetail key={open} ctx={ctx} sid={open} onClose={() => choose(undefined)} onChanged={() => void load()} />}
    </div>
  );
}

/** A `datetime-local` value (local time) as the ISO instant the API filters on. */
function isoOf(local: string): string | undefined {
  const time = local ? new Date(local) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined;
}

