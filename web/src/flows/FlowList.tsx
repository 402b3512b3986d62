import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { flowPath, type FlowResource } from '../api/resources';
import { blankDefinition } from '../editor/definition-ops';
import { describe } from '../ui/errors';
import { parseDefinition } from '../editor/FlowJsonDialog';
import { Modal } from '../ui/Modal';
import { FLOW_TEMPLATES } from './templates';

type Dialog = { kind: 'create' } | { kind: 'rename'; flow: FlowResource } | { kind: 'delete'; flow: FlowResource };

/** The account's flows: search, create (blank, from a template or from Flow JSON), rename, duplicate, delete. */
export function FlowList({ api, account, onOpen, onSignOut }: { api: ApiClient; account: string; onOpen: (sid: string) => void; onSignOut: () => void }) {
  const [flows, setFlows] = useState<FlowResource[]>();
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog>();
  const [problem, setProblem] = useState<string>();
  const close = () => {
    setDialog(undefined);
    setProblem(undefined);
  };
  const reload = useCallback(() => api.list<FlowResource>('/v2/Flows', 'flows', {}, 10_000).then(setFlows, (e) => setProblem(describe(e))), [api]);
  useEffect(() => void reload(), [reload]);

  const run = async (action: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await action();
      setDialog(undefined);
      await reload();
    } catch (err) {
      setProblem(describe(err));
    }
  };
  const term = search.trim().toLowerCase();
  const shown = (flows ?? []).filter((f) => !term || f.friendly_name.toLowerCase().includes(term) || f.sid.toLowerCase() === term);

  return (
    <main className="flow-list">
      <header className="toolbar">
        <h1>Flows</h1>
        <input type="search" placeholder="Search flows" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search flows" />
        <span className="spacer" />
        <span className="account" title="Signed-in account" data-testid="account">{account}</span>
        <button type="button" onClick={onSignOut}>Sign out</button>
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'create' })}>Create new Flow</button>
      </header>
      {problem && !dialog && <p className="error" role="alert">{problem}</p>}
      {flows === undefined ? <p className="loading">Loading…</p> : (
        <table>
          <thead><tr><th>Name</th><th>Status</th><th>Revision</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {shown.map((flow) => (
              <tr key={flow.sid} data-testid={`flow-${flow.sid}`}>
                <td><a href={`#/flows/${flow.sid}`} onClick={(e) => { e.preventDefault(); onOpen(flow.sid); }}>{flow.friendly_name}</a><div className="sid">{flow.sid}</div></td>
                <td><span className={`status ${flow.status}`}>{flow.status}</span></td>
                <td>{flow.revision}</td>
                <td>{new Date(flow.date_updated ?? flow.date_created).toLocaleString()}</td>
                <td className="actions">
                  <button type="button" onClick={() => setDialog({ kind: 'rename', flow })}>Rename</button>
                  <button type="button" onClick={() => void run(() => api.post(`${flowPath(flow.sid)}/Duplicate`))}>Duplicate</button>
                  <button type="button" className="danger" onClick={() => setDialog({ kind: 'delete', flow })}>Delete</button>
                </td>
              </tr>
            ))}
            {shown.length === 0 && <tr><td colSpan={5} className="empty">{flows.length ? 'No flow matches.' : 'No flows yet: create one.'}</td></tr>}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' && <CreateDialog error={problem} onClose={close} onCreate={(name, definition) => run(async () => onOpen((await api.post<FlowResource>('/v2/Flows', { FriendlyName: name, Status: 'draft', Definition: JSON.stringify(definition) })).sid))} />}
      {dialog?.kind === 'rename' && <RenameDialog error={problem} flow={dialog.flow} onClose={close} onRename={(name) => run(() => api.post(flowPath(dialog.flow.sid), { FriendlyName: name, Status: dialog.flow.status, CommitMessage: `Renamed to ${name}` }))} />}
      {dialog?.kind === 'delete' && (
        <Modal title="Delete flow" error={problem} onClose={close}>
          <p>Delete <strong>{dialog.flow.friendly_name}</strong> and all its revisions? Executions in progress keep running.</p>
          <footer><span className="spacer" /><button type="button" onClick={close}>Cancel</button><button type="button" className="danger" onClick={() => void run(() => api.delete(flowPath(dialog.flow.sid)))}>Delete</button></footer>
        </Modal>
      )}
    </main>
  );
}

/** Studio's New Flow choices: from scratch, a template, or an imported Flow JSON. */
function CreateDialog({ onCreate, onClose, error }: { onCreate: (name: string, definition: object) => Promise<void>; onClose: () => void; error?: string }) {
  const [name, setName] = useState('');
  const [source, setSource] = useState<string>('blank');
  const [json, setJson] = useState('');
  const [problem, setProblem] = useState<string>();
  const template = FLOW_TEMPLATES.find((t) => t.id === source);
  const submit = () => {
    if (source !== 'json') return void onCreate(name.trim(), template?.definition() ?? blankDefinition());
    const parsed = parseDefinition(json);
    if (typeof parsed === 'string') setProblem(parsed);
    else void onCreate(name.trim(), parsed);
  };
  return (
    <Modal title="Create new Flow" onClose={onClose} wide={source === 'json'} error={error}>
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <label>Flow name<input autoFocus required value={name} onChange={(e) => setName(e.target.value)} aria-label="Flow name" /></label>
        <fieldset className="choice" aria-label="Start from">
          <label><input type="radio" name="source" checked={source === 'blank'} onChange={() => setSource('blank')} /> Start from scratch</label>
          {FLOW_TEMPLATES.map((t) => (
            <label key={t.id} title={t.description}>
              <input type="radio" name="source" checked={source === t.id} onChange={() => setSource(t.id)} /> {t.name}
            </label>
          ))}
          <label><input type="radio" name="source" checked={source === 'json'} onChange={() => setSource('json')} /> Import from JSON</label>
        </fieldset>
        {template && <p className="template-description">{template.description}</p>}
        {source === 'json' && (
          <>
            <textarea className="json" value={json} onChange={(e) => { setJson(e.target.value); setProblem(undefined); }} placeholder="Paste a Studio Flow JSON export" aria-label="Flow JSON" spellCheck={false} />
            <input type="file" accept="application/json,.json" aria-label="Flow JSON file" onChange={(e) => void e.target.files?.[0]?.text().then(setJson)} />
          </>
        )}
        {problem && <p className="error" role="alert">{problem}</p>}
        <footer><span className="spacer" /><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary">Create</button></footer>
      </form>
    </Modal>
  );
}

function RenameDialog({ flow, onRename, onClose, error }: { flow: FlowResource; onRename: (name: string) => Promise<void>; onClose: () => void; error?: string }) {
  const [name, setName] = useState(flow.friendly_name);
  return (
    <Modal title="Rename flow" onClose={onClose} error={error}>
      <form onSubmit={(e) => { e.preventDefault(); void onRename(name.trim()); }}>
        <label>Flow name<input autoFocus required value={name} onChange={(e) => setName(e.target.value)} aria-label="Flow name" /></label>
        <footer><span className="spacer" /><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary" disabled={!name.trim() || name.trim() === flow.friendly_name}>Rename</button></footer>
      </form>
    </Modal>
  );
}
