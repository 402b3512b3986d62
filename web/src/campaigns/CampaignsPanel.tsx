import { useCallback, useEffect, useState } from 'react';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { campaignsPath, isLive, settled, type CampaignPreview, type CampaignResource } from './campaigns';
import './campaigns.css';

/** How often a live campaign's progress is read. */
const POLL_MS = 1_000;

/**
 * Campaigns of this flow: upload a CSV (a To column; the other columns become flow.data),
 * preview it as the server reads it, choose the rate and quiet hours, start, and follow each
 * campaign's progress, pausing, resuming or cancelling it.
 */
export function CampaignsPanel({ ctx }: { ctx: EditorContext }) {
  const { api, flow } = ctx;
  const [campaigns, setCampaigns] = useState<CampaignResource[]>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    try {
      setCampaigns((await api.get<{ campaigns: CampaignResource[] }>(campaignsPath(flow.sid))).campaigns);
    } catch (err) {
      setError(describe(err));
    }
  }, [api, flow.sid]);

  useEffect(() => void reload(), [reload]);
  const live = campaigns?.some(isLive) ?? false;
  useEffect(() => {
    if (!live) return;
    const timer = setTimeout(() => void reload(), POLL_MS);
    return () => clearTimeout(timer);
  }, [live, campaigns, reload]);

  const act = async (sid: string, status: 'paused' | 'running' | 'cancelled') => {
    try {
      await api.post(`${campaignsPath(flow.sid)}/${sid}`, { Status: status });
      await reload();
    } catch (err) {
      setError(describe(err));
    }
  };

  return (
    <div className="campaigns">
      <NewCampaign ctx={ctx} onStarted={() => void reload()} />
      {error && <p className="error" role="alert">{error}</p>}
      <h3>Campaigns</h3>
      {!campaigns ? <p className="loading">Loading campaigns…</p> : campaigns.length === 0 ? <p className="hint">No campaign of this flow yet.</p> : null}
      <ol className="campaign-list">
        {campaigns?.map((c) => (
          <li key={c.sid} data-testid="campaign">
            <div className="campaign-head">
              <code title={c.sid}>{c.sid.slice(0, 10)}…</code>
              <span className={`status ${c.status}`}>{c.status}</span>
              <span className="spacer" />
              {c.status === 'running' && <button type="button" onClick={() => void act(c.sid, 'paused')}>Pause</button>}
              {c.status === 'paused' && <button type="button" onClick={() => void act(c.sid, 'running')}>Resume</button>}
              {isLive(c) && <button type="button" className="danger" onClick={() => void act(c.sid, 'cancelled')}>Cancel</button>}
            </div>
            <progress aria-label={`Progress of ${c.sid}`} max={c.total} value={settled(c)} />
            <p className="counts">
              {settled(c)} of {c.total} · {c.counts.started} started · {c.counts.skipped} skipped · {c.counts.failed} failed · {c.executions_ended} ended · {c.rate}/s
              {c.quiet_hours ? ` · quiet ${c.quiet_hours} ${c.time_zone}` : ''}
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The form that starts one: the CSV, its preview, From, rate, quiet hours. */
function NewCampaign({ ctx, onStarted }: { ctx: EditorContext; onStarted: () => void }) {
  const { api, flow } = ctx;
  const [csv, setCsv] = useState<string>();
  const [preview, setPreview] = useState<CampaignPreview>();
  const [from, setFrom] = useState('');
  const [rate, setRate] = useState('10');
  const [quietHours, setQuietHours] = useState('');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = () => ({ From: from.trim(), Rate: rate, Csv: csv, ...(quietHours.trim() ? { QuietHours: quietHours.trim(), TimeZone: timeZone } : {}) });

  const read = async (file: File | undefined) => {
    setError(undefined);
    setPreview(undefined);
    if (!file) return setCsv(undefined);
    const text = await file.text();
    setCsv(text);
    try {
      setPreview(await api.post<CampaignPreview>(`${campaignsPath(flow.sid)}/Preview`, { Csv: text }));
    } catch (err) {
      setError(describe(err));
    }
  };
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post<CampaignResource>(campaignsPath(flow.sid), form());
      setCsv(undefined);
      setPreview(undefined);
      onStarted();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-campaign" onSubmit={(e) => { e.preventDefault(); void start(); }}>
      <label>
        Contact list (CSV with a To column)
        <input type="file" accept=".csv,text/csv" aria-label="Contact list" onChange={(e) => void read(e.target.files?.[0])} />
      </label>
      {preview && (
        <div className="preview" data-testid="campaign-preview">
          <p>
            {preview.total} contacts{Object.entries(preview.skipped).map(([reason, n]) => ` · ${n} skipped (${reason})`).join('')}. The first ones, as <code>flow.data</code>:
          </p>
          <table>
            <tbody>
              {preview.contacts.map((c, i) => (
                <tr key={i} className={c.skip ? 'skipped' : undefined}>
                  <td>{c.to}</td>
                  <td><code>{JSON.stringify(c.data)}</code></td>
                  <td>{c.skip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        <label>From<input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="+14155550100" aria-label="From" /></label>
        <label>Rate (per second)<input type="number" min={1} value={rate} onChange={(e) => setRate(e.target.value)} aria-label="Rate" /></label>
      </div>
      <div className="row">
        <label>Quiet hours<input value={quietHours} onChange={(e) => setQuietHours(e.target.value)} placeholder="21:00-08:00" aria-label="Quiet hours" /></label>
        <label>Time zone<input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} aria-label="Time zone" /></label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={!csv || !from.trim() || busy} title="Every contact runs the flow's published revision">
        Start campaign
      </button>
    </form>
  );
}
