import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { FlowDefinition } from '../../../src/flow/definition';
import { validateFlow } from '../../../src/flow/validate';
import type { ApiClient } from '../api/client';
import { describe } from '../ui/errors';
import { flowPath, type FlowResource } from '../api/resources';
import { ExecutionsPanel } from '../executions/ExecutionsPanel';
import { canvasInsights } from '../insights/stats';
import { useInsights } from '../insights/useInsights';
import { Inspector } from '../inspector/Inspector';
import { RevisionsPanel } from '../revisions/RevisionsPanel';
import { CampaignsPanel } from '../campaigns/CampaignsPanel';
import { SchedulesPanel } from '../schedules/SchedulesPanel';
import { MigrateDialog } from '../revisions/MigrateDialog';
import { migrationsPath, type MigrationPlan } from '../revisions/migrations';
import { TestUsersPanel } from '../revisions/TestUsersPanel';
import { SimulatorPanel } from '../simulator/SimulatorPanel';
import { TestsPanel } from '../tests/TestsPanel';
import { Canvas } from './Canvas';
import type { EditorContext, ExecutionPath } from './context';
import { addState, moveStates, newState } from './definition-ops';
import { historyOf, record, redo, undo, type History } from './history';
import { FlowJsonDialog } from './FlowJsonDialog';
import { autoLayout } from './layout';
import { Palette } from './Palette';
import { LeaveDialog } from './LeaveDialog';
import { PublishDialog } from './PublishDialog';
import { useShortcuts, useWidgetClipboard } from './shortcuts';
import { clipboardText, copyWidgets, parseClipboard, pasteWidgets } from './clipboard';

// The charting library is loaded with the Insights panel, when it is first opened.
const InsightsPanel = lazy(() => import('../insights/InsightsPanel').then((m) => ({ default: m.InsightsPanel })));

const PANELS = ['Inspector', 'Simulator', 'Tests', 'Executions', 'Revisions', 'Test Users', 'Campaigns', 'Schedules'] as const;
type Panel = (typeof PANELS)[number];

/** Loads a flow, then edits it. */
export function Editor({ api, sid, onClose }: { api: ApiClient; sid: string; onClose: () => void }) {
  const [flow, setFlow] = useState<FlowResource>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.get<FlowResource>(flowPath(sid)).then(setFlow, (e: Error) => setError(e.message));
  }, [api, sid]);
  if (error) return <div className="page-error" role="alert">{error} <button onClick={onClose}>Back to flows</button></div>;
  if (!flow?.definition) return <div className="loading">Loading flow…</div>;
  return (
    <ReactFlowProvider>
      <FlowEditor key={flow.sid} api={api} initial={flow} onClose={onClose} />
    </ReactFlowProvider>
  );
}

function FlowEditor({ api, initial, onClose }: { api: ApiClient; initial: FlowResource; onClose: () => void }) {
  const [flow, setFlow] = useState(initial);
  const [history, setHistory] = useState<History<FlowDefinition>>(() => historyOf(initial.definition!));
  const [selected, setSelected] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const [panel, setPanel] = useState<Panel>('Inspector');
  const [path, setPath] = useState<ExecutionPath>();
  const [dialog, setDialog] = useState<'json' | 'publish' | 'leave'>();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  // Bumped when the simulator adds a test, so the Tests panel reads the tests again.
  const [testsVersion, setTestsVersion] = useState(0);
  // Insights mode: the same canvas, read-only, with where the flow's executions went.
  const [insightsOn, setInsightsOn] = useState(false);
  const insightsView = useInsights(api, initial.sid, insightsOn);
  // An execution of another revision is shown read-only too.
  const readOnly = insightsOn || path?.definition !== undefined;
  const definition = history.present;
  // An undone rename can leave the selection naming a widget that is gone: then nothing is selected.
  const current = selected !== undefined && definition.states.some((s) => s.name === selected) ? selected : undefined;
  const checked = useDeferredValue(definition);
  const validation = useMemo(() => validateFlow(checked), [checked]);
  const dirty = definition !== flow.definition;

  const edit = useCallback((next: FlowDefinition, mergeKey?: string) => setHistory((h) => record(h, next, mergeKey)), []);
  // Picking a widget on the canvas opens the Inspector; a panel selecting one (a step of an
  // execution, a problem in a list) keeps its own tab in view.
  const selectOnCanvas = useCallback((name: string | undefined) => {
    setSelected(name);
    if (name) setPanel('Inspector');
  }, []);
  const loaded = useCallback((next: FlowResource) => {
    setFlow(next);
    if (next.definition) setHistory((h) => record(h, next.definition!));
  }, []);

  const save = useCallback(async (status: 'draft' | 'published', commitMessage?: string) => {
    try {
      const saved = await api.post<FlowResource>(flowPath(flow.sid), { Status: status, Definition: JSON.stringify(definition), CommitMessage: commitMessage || undefined });
      // Keep the same object on the canvas so the editor knows it is saved, without an undo step.
      setFlow({ ...saved, definition });
      setNotice({ kind: 'ok', text: status === 'published' ? `Published revision ${saved.revision}` : `Draft saved (revision ${saved.revision})${saved.valid === false ? ' with errors' : ''}` });
      return true;
    } catch (err) {
      setNotice({ kind: 'error', text: describe(err) });
      return false;
    }
  }, [api, definition, flow.sid]);

  // After a publish, contacts waiting in older revisions are offered the new one.
  const [migration, setMigration] = useState<MigrationPlan>();
  const offerMigration = useCallback(async () => {
    try {
      const plan = await api.get<MigrationPlan>(migrationsPath(flow.sid));
      if (plan.groups.length > 0) setMigration(plan);
    } catch (err) {
      setNotice({ kind: 'error', text: `Published, but waiting contacts could not be looked up: ${describe(err)}` });
    }
  }, [api, flow.sid]);

  const [fitRequest, setFitRequest] = useState(0);
  const layout = useCallback(() => {
    edit(moveStates(definition, autoLayout(definition)));
    setFitRequest((n) => n + 1);
  }, [definition, edit]);
  const addAtCentre = useCallback((type: string) => {
    const state = newState(definition, type, { x: 80 + 20 * (definition.states.length % 10), y: 200 + 20 * (definition.states.length % 10) });
    edit(addState(definition, state));
    selectOnCanvas(state.name);
  }, [definition, edit, selectOnCanvas]);

  // Unsaved work is not lost by a slip: closing the tab asks the browser's question, leaving for
  // the flow list asks ours.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const leave = () => (dirty ? setDialog('leave') : onClose());

  useShortcuts({
    // Insights mode is read-only: the keys edit nothing there either.
    undo: () => {
      if (!insightsOn) setHistory(undo);
    },
    redo: () => {
      if (!insightsOn) setHistory(redo);
    },
    // Like the button: nothing to save makes no new revision.
    save: () => {
      if (dirty) void save('draft');
    },
  });

  useWidgetClipboard({
    copy: () => {
      const clip = copyWidgets(definition, picked.length > 0 ? picked : current ? [current] : []);
      return clip && clipboardText(clip);
    },
    paste: (text) => {
      const clip = parseClipboard(text);
      if (!clip || readOnly) return false;
      const pasted = pasteWidgets(definition, clip);
      edit(pasted.definition);
      selectOnCanvas(pasted.names[0]);
      setNotice({ kind: 'ok', text: `Pasted ${pasted.names.join(', ')}` });
      return true;
    },
  });

  const insightsData = insightsView.data;
  const insights = useMemo(() => (insightsOn && insightsData ? canvasInsights(definition, insightsData.widgets, insightsData.transitions) : undefined), [insightsOn, insightsData, definition]);
  const toggleInsights = () => {
    // An execution opened from either mode's panel is not the other's to show.
    setPath(undefined);
    setInsightsOn((on) => !on);
  };
  const ctx: EditorContext = { api, flow, definition, validation, dirty, selected: current, edit, select: setSelected, loaded, showPath: setPath, path };
  const errors = validation.errors.length;
  const warnings = validation.warnings.length;

  return (
    <div className="editor">
      <header className="toolbar">
        <button type="button" onClick={leave} className="link">← Flows</button>
        <h1 title={flow.sid}>{flow.friendly_name}</h1>
        <span className={`status ${flow.status}`} data-testid="flow-status">{flow.status} · rev {flow.revision}{dirty ? ' · unsaved changes' : ''}</span>
        <span className="spacer" />
        <button type="button" aria-pressed={insightsOn} onClick={toggleInsights} title="Where the flow's executions went: counts on the widgets, traffic on the transitions">Insights</button>
        <button type="button" onClick={() => setHistory(undo)} disabled={insightsOn || history.past.length === 0} title="Undo (Ctrl+Z)">Undo</button>
        <button type="button" onClick={() => setHistory(redo)} disabled={insightsOn || history.future.length === 0} title="Redo (Ctrl+Shift+Z)">Redo</button>
        <button type="button" onClick={layout} disabled={insightsOn} title="Arrange the widgets top to bottom">Auto-layout</button>
        <button type="button" onClick={() => setDialog('json')}>Flow JSON</button>
        <span className={`validity ${errors ? 'invalid' : 'valid'}`} data-testid="validity" title={validation.errors.map((e) => `${e.property_path}: ${e.message}`).join('\n')}>
          {errors ? `${errors} error${errors > 1 ? 's' : ''}` : 'Valid'}{warnings ? ` · ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}
        </span>
        <button type="button" onClick={() => void save('draft')} disabled={!dirty} title="Save draft (Ctrl+S)">Save draft</button>
        <button type="button" className="primary" onClick={() => setDialog('publish')} disabled={errors > 0} title={errors ? 'Fix the errors to publish' : 'Publish this definition'}>Publish</button>
      </header>
      {notice && (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          {notice.text} <button type="button" className="link" onClick={() => setNotice(undefined)} aria-label="Dismiss">×</button>
        </div>
      )}
      {path && (
        <div className="path-banner" data-testid="path-banner">
          Showing {path.title}{path.definition ? ' (its revision, read-only)' : ''} <button type="button" className="link" onClick={() => setPath(undefined)}>Clear</button>
        </div>
      )}
      {insightsOn && (
        <div className="insights-banner" data-testid="insights-banner">
          Insights{insightsView.loading ? ' (loading…)' : ''}: read-only. Click a widget for its executions. <button type="button" className="link" onClick={toggleInsights}>Back to editing</button>
        </div>
      )}
      <div className="workspace">
        {!insightsOn && <Palette onAdd={addAtCentre} />}
        <Canvas definition={definition} validation={validation} selected={current} path={path} readOnly={readOnly} fitRequest={fitRequest} edit={edit} select={selectOnCanvas} pick={setPicked} insights={insights} />
        {insightsOn ? (
          <aside className="side">
            <Suspense fallback={<p className="loading">Loading insights…</p>}>
              <InsightsPanel ctx={ctx} view={insightsView} canvas={insights} />
            </Suspense>
          </aside>
        ) : (
          <aside className="side">
            <nav className="tabs" role="tablist">
              {PANELS.map((p) => (
                <button key={p} type="button" role="tab" aria-selected={panel === p} className={panel === p ? 'active' : ''} onClick={() => setPanel(p)}>{p}</button>
              ))}
            </nav>
            <div className="panel" role="tabpanel" aria-label={panel}>
              {panel === 'Inspector' && <Inspector ctx={ctx} />}
              {panel === 'Simulator' && (
                <SimulatorPanel
                  ctx={ctx}
                  onTestSaved={(name) => {
                    setTestsVersion((n) => n + 1);
                    setNotice({ kind: 'ok', text: `Saved the conversation as the test "${name}" (see Tests)` });
                  }}
                />
              )}
              {panel === 'Tests' && <TestsPanel ctx={ctx} reloadKey={testsVersion} />}
              {panel === 'Executions' && <ExecutionsPanel ctx={ctx} />}
              {panel === 'Revisions' && <RevisionsPanel ctx={ctx} />}
              {panel === 'Test Users' && <TestUsersPanel ctx={ctx} />}
              {panel === 'Campaigns' && <CampaignsPanel ctx={ctx} />}
              {panel === 'Schedules' && <SchedulesPanel ctx={ctx} />}
            </div>
          </aside>
        )}
      </div>
      {dialog === 'json' && <FlowJsonDialog definition={definition} onImport={(d) => { edit(d); setDialog(undefined); }} onClose={() => setDialog(undefined)} />}
      {dialog === 'leave' && <LeaveDialog onSave={async () => { if (await save('draft')) onClose(); }} onDiscard={onClose} onClose={() => setDialog(undefined)} />}
      {dialog === 'publish' && <PublishDialog onPublish={async (message) => { if (await save('published', message)) { setDialog(undefined); void offerMigration(); } }} onClose={() => setDialog(undefined)} />}
      {migration && <MigrateDialog api={api} flowSid={flow.sid} plan={migration} onClose={() => setMigration(undefined)} />}
    </div>
  );
}
