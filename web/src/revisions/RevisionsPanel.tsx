import { useEffect, useRef, useState } from 'react';
import type { FlowDefinition } from '../../../src/flow/definition';
import { flowPath, type FlowResource, type RevisionResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { Modal } from '../ui/Modal';
import { DiffDialog, type DiffSide } from './DiffDialog';
import { MigrateDialog } from './MigrateDialog';
import './revisions.css';

type Side = number | 'canvas';

/** Every saved revision of the flow, newest first, with diffs between any two and restore. */
export function RevisionsPanel({ ctx }: { ctx: EditorContext }) {
  const { api, flow } = ctx;
  const [revisions, setRevisions] = useState<RevisionResource[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [pickA, setPickA] = useState<number>();
  const [pickB, setPickB] = useState<Side>();
  const [diff, setDiff] = useState<{ a: DiffSide; b: DiffSide }>();
  const [confirming, setConfirming] = useState<number>();
  const [migrating, setMigrating] = useState(false);
  // Revisions never change once saved, so their definitions are fetched once per panel.
  const definitions = useRef(new Map<number, Promise<FlowDefinition>>());

  useEffect(() => {
    let live = true;
    api.list<RevisionResource>(`${flowPath(flow.sid)}/Revisions`, 'revisions').then(
      (list) => {
        if (!live) return;
        setRevisions([...list].sort((x, y) => y.revision - x.revision));
        setError(undefined);
      },
      (err: unknown) => {
        if (live) setError(describe(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, flow.sid, flow.revision]);

  const definitionOf = (n: number): Promise<FlowDefinition> => {
    let pending = definitions.current.get(n);
    if (!pending) {
      pending = api.get<RevisionResource>(`${flowPath(flow.sid)}/Revisions/${n}`).then((r) => {
        if (!r.definition) throw new Error(`Revision ${n} has no definition`);
        return r.definition;
      });
      // A failed fetch is not remembered: the next click tries again.
      pending.catch(() => definitions.current.delete(n));
      definitions.current.set(n, pending);
    }
    return pending;
  };

  const sideOf = async (side: Side): Promise<DiffSide> =>
    side === 'canvas' ? { label: 'Canvas (unsaved)', definition: ctx.definition } : { label: `Revision ${side}`, definition: await definitionOf(side) };

  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await task();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  const openDiff = (a: Side, b: Side) => run(async () => {
    const [left, right] = await Promise.all([sideOf(a), sideOf(b)]);
    setDiff({ a: left, b: right });
  });

  const restore = (n: number) => run(async () => {
    const definition = await definitionOf(n);
    const saved = await api.post<FlowResource>(flowPath(flow.sid), { Status: 'draft', Definition: JSON.stringify(definition), CommitMessage: `Restored revision ${n}` });
    ctx.loaded(saved.definition ? saved : { ...saved, definition });
    setNotice(`Restored revision ${n} as draft revision ${saved.revision}`);
  });

  if (!revisions) return error ? <p className="error" role="alert">{error}</p> : <p className="loading">Loading revisions…</p>;

  const newest = revisions[0]?.revision;
  const live = revisions.find((r) => r.status === 'published')?.revision;
  // By default compare the newest revision with the one before it, or the canvas when it has unsaved edits.
  const a = pickA ?? revisions[ctx.dirty ? 0 : 1]?.revision ?? newest;
  const b = pickB ?? (ctx.dirty ? 'canvas' : newest);
  const older = (n: number) => revisions.find((r) => r.revision < n)?.revision;

  return (
    <div className="revisions">
      <form className="compare" onSubmit={(e) => { e.preventDefault(); if (a !== undefined && b !== undefined) void openDiff(a, b); }}>
        <label>
          Revision A
          <select value={a} onChange={(e) => setPickA(Number(e.target.value))}>
            {revisions.map((r) => <option key={r.revision} value={r.revision}>Revision {r.revision}</option>)}
          </select>
        </label>
        <label>
          Revision B
          <select value={b} onChange={(e) => setPickB(e.target.value === 'canvas' ? 'canvas' : Number(e.target.value))}>
            <option value="canvas">Canvas (unsaved)</option>
            {revisions.map((r) => <option key={r.revision} value={r.revision}>Revision {r.revision}</option>)}
          </select>
        </label>
        <button type="submit" disabled={busy || a === undefined}>Compare</button>
      </form>
      {live !== undefined && (
        <button type="button" className="migrate" title={`Move contacts waiting in older revisions to revision ${live}`} onClick={() => setMigrating(true)}>
          Migrate waiting contacts
        </button>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="ok" role="status">{notice}</p>}
      <ol className="revision-list">
        {revisions.map((r) => (
          <li key={r.revision} data-testid="revision-row" className={r.revision === flow.revision ? 'current' : undefined}>
            <div className="revision-head">
              <strong>Revision {r.revision}</strong>
              <span className={`status ${r.status}`}>{r.status}</span>
              {r.revision === live && <span className="tag" title="What contacts other than test users run">live</span>}
              <span className="spacer" />
              <time dateTime={r.date_created}>{new Date(r.date_created).toLocaleString()}</time>
            </div>
            <div className={r.commit_message ? 'message' : 'message none'}>{r.commit_message || 'No commit message'}</div>
            <div className="revision-actions">
              <button
                type="button"
                disabled={busy}
                // The oldest revision has nothing before it: show what has changed on the canvas since.
                title={older(r.revision) ? `Changes from revision ${older(r.revision)} to ${r.revision}` : 'Changes from this revision to the canvas'}
                onClick={() => void openDiff(older(r.revision) ?? r.revision, older(r.revision) ? r.revision : 'canvas')}
              >
                View diff
              </button>
              <button type="button" disabled={busy} title="Save this revision's definition as a new draft" onClick={() => (ctx.dirty ? setConfirming(r.revision) : void restore(r.revision))}>
                Restore
              </button>
            </div>
          </li>
        ))}
      </ol>
      {diff && <DiffDialog a={diff.a} b={diff.b} onClose={() => setDiff(undefined)} />}
      {migrating && <MigrateDialog api={api} flowSid={flow.sid} onClose={() => setMigrating(false)} />}
      {confirming !== undefined && (
        <Modal title={`Restore revision ${confirming}`} onClose={() => setConfirming(undefined)}>
          <p>
            The canvas has unsaved changes. Restoring saves revision {confirming} as a new draft and puts it on the canvas; your
            unsaved changes will not be saved, but Undo still brings them back.
          </p>
          <footer>
            <span className="spacer" />
            <button type="button" onClick={() => setConfirming(undefined)}>Cancel</button>
            <button type="button" className="primary" onClick={() => { setConfirming(undefined); void restore(confirming); }}>Restore anyway</button>
          </footer>
        </Modal>
      )}
    </div>
  );
}
