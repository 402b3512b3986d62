export interface Filter {
  /** '' is all; the others are the API's `Status` filter. */
  readonly status: '' | 'active' | 'ended';
  /** `datetime-local` values, local time; '' is unbounded. */
  readonly from: string;
  readonly to: string;
  /** A substring of the contact address (filtered here: the API cannot). */
  readonly contact: string;
}

export const NO_FILTER: Filter = { status: '', from: '', to: '', contact: '' };

export function ExecutionFilters({ filter, onChange, onRefresh }: { filter: Filter; onChange: (next: Filter) => void; onRefresh: () => void }) {
  const set = (patch: Partial<Filter>) => onChange({ ...filter, ...patch });
  return (
    <div className="execution-filters">
      <label>
        Status
        <select value={filter.status} onChange={(e) => set({ status: e.target.value as Filter['status'] })}>
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="ended">Ended</option>
        </select>
      </label>
      <label>
        Contact
        <input type="search" value={filter.contact} placeholder="+1555…" onChange={(e) => set({ contact: e.target.value })} />
      </label>
      <label>
        Created from
        <input type="datetime-local" value={filter.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label>
        Created before
        <input type="datetime-local" value={filter.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
      <div className="filter-actions">
        <button type="button" onClick={onRefresh}>Refresh</button>
        {filter !== NO_FILTER && <button type="button" className="link" onClick={() => onChange(NO_FILTER)}>Clear filters</button>}
      </div>
    </div>
  );
}
