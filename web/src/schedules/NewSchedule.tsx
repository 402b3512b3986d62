import { useState } from 'react';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { scheduleForm, schedulesPath, type ScheduleDraft, type ScheduleResource } from './schedules';

const EMPTY: ScheduleDraft = {
  name: '',
  when: 'interval',
  minutes: '60',
  cron: '',
  timeZone: 'UTC',
  from: '',
  target: 'execution',
  to: '',
  parameters: '',
  csv: undefined,
  contactList: '',
  rate: '10',
  quietHours: '',
};

// The browser's zones for the time-zone field's suggestions; any IANA name may still be typed.
const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

type Set = <K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]) => void;

/** The form that creates a schedule: its name, when it runs, From, and what each run starts. */
export function NewSchedule({ ctx, onCreated }: { ctx: EditorContext; onCreated: () => void }) {
  const { api, flow } = ctx;
  const [draft, setDraft] = useState(EMPTY);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Bumped on each creation: remounts the form so the file input lets go of the uploaded file too.
  const [created, setCreated] = useState(0);
  const set: Set = (key, value) => setDraft((d) => ({ ...d, [key]: value }));
  const form = scheduleForm(draft);

  const create = async () => {
    if (typeof form === 'string') return setError(form);
    setBusy(true);
    setError(undefined);
    try {
      await api.post<ScheduleResource>(schedulesPath(flow.sid), form);
      // The From and zone are kept: the next schedule of this flow most likely shares them.
      setDraft((d) => ({ ...EMPTY, from: d.from, timeZone: d.timeZone }));
      setCreated((n) => n + 1);
      onCreated();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form key={created} className="new-schedule" aria-label="New schedule" onSubmit={(e) => { e.preventDefault(); void create(); }}>
      <label>Name<input value={draft.name} onChange={(e) => set('name', e.target.value)} placeholder="Morning reminder" aria-label="Name" /></label>
      <When draft={draft} set={set} />
      <label>From<input value={draft.from} onChange={(e) => set('from', e.target.value)} placeholder="+14155550100" aria-label="From" /></label>
      <Target draft={draft} set={set} />
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy} title={typeof form === 'string' ? form : "Each run starts the flow's published revision"}>
        Create schedule
      </button>
    </form>
  );
}

/** Every N minutes, or a cron expression; the zone both the cron and the quiet hours are read in. */
function When({ draft, set }: { draft: ScheduleDraft; set: Set }) {
  return (
    <fieldset>
      <legend>When</legend>
      <div className="row">
        <label className="choice"><input type="radio" name="schedule-when" checked={draft.when === 'interval'} onChange={() => set('when', 'interval')} />Every</label>
        <input type="number" min={1} value={draft.minutes} disabled={draft.when !== 'interval'} onChange={(e) => set('minutes', e.target.value)} aria-label="Interval (minutes)" />
        <span>minutes</span>
      </div>
      <div className="row">
        <label className="choice"><input type="radio" name="schedule-when" checked={draft.when === 'cron'} onChange={() => set('when', 'cron')} />Cron</label>
        <input value={draft.cron} disabled={draft.when !== 'cron'} onChange={(e) => set('cron', e.target.value)} placeholder="0 9 * * 1-5" aria-label="Cron expression" />
      </div>
      <label>
        Time zone
        <input list="schedule-zones" value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)} aria-label="Time zone" />
        <datalist id="schedule-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
      </label>
    </fieldset>
  );
}

/** One execution to one contact (with its flow.data), or a campaign over a list. */
function Target({ draft, set }: { draft: ScheduleDraft; set: Set }) {
  return (
    <fieldset>
      <legend>Each run starts</legend>
      <div className="row">
        <label className="choice"><input type="radio" name="schedule-target" checked={draft.target === 'execution'} onChange={() => set('target', 'execution')} />One contact</label>
        <label className="choice"><input type="radio" name="schedule-target" checked={draft.target === 'campaign'} onChange={() => set('target', 'campaign')} />A list (campaign)</label>
      </div>
      {draft.target === 'execution' ? <OneContact draft={draft} set={set} /> : <ContactList draft={draft} set={set} />}
    </fieldset>
  );
}

function OneContact({ draft, set }: { draft: ScheduleDraft; set: Set }) {
  return (
    <>
      <label>To<input value={draft.to} onChange={(e) => set('to', e.target.value)} placeholder="+14155550101" aria-label="To" /></label>
      <label>
        flow.data (JSON, optional)
        <textarea rows={3} value={draft.parameters} onChange={(e) => set('parameters', e.target.value)} placeholder='{"name": "Ada"}' aria-label="flow.data" />
      </label>
    </>
  );
}

function ContactList({ draft, set }: { draft: ScheduleDraft; set: Set }) {
  // The CSV is sent as it is: the server reads it (and says what it refuses) when the schedule is made.
  const read = async (file: File | undefined) => set('csv', file ? await file.text() : undefined);
  return (
    <>
      <label>
        Contact list (CSV with a To column)
        <input type="file" accept=".csv,text/csv" aria-label="Contact list" onChange={(e) => void read(e.target.files?.[0])} />
      </label>
      <label>or a saved list<input value={draft.contactList} disabled={draft.csv !== undefined} onChange={(e) => set('contactList', e.target.value)} placeholder="CL…" aria-label="Saved list SID" /></label>
      <div className="row">
        <label>Rate (per second)<input type="number" min={1} value={draft.rate} onChange={(e) => set('rate', e.target.value)} aria-label="Rate" /></label>
        <label>Quiet hours<input value={draft.quietHours} onChange={(e) => set('quietHours', e.target.value)} placeholder="21:00-08:00" aria-label="Quiet hours" /></label>
      </div>
    </>
  );
}
