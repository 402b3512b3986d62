import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { describe } from '../ui/errors';
import { Modal } from '../ui/Modal';
import { groupKey, migrationRequests, migrationsPath, progressOf, type MigrationPlan, type MigrationResource } from './migrations';

/** How often a running migration's progress is read. */
const POLL_MS = 400;

/**
 * Migrate waiting contacts: the dry run (who waits where in older revisions, and whether they can
 * move to the live revision), then the migration of the chosen groups with its progress. Moving
 * sends nothing: each contact's next reply takes the new revision's path.
 */
export function MigrateDialog({ api, flowSid, plan: given, onClose }: { api: ApiClient; flowSid: string; plan?: MigrationPlan; onClose: () => void }) {
  const [plan, setPlan] = useState<MigrationPlan | undefined>(given);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(given?.groups.filter((g) => g.mappable).map(groupKey)));
  const [migrations, setMigrations] = useState<MigrationResource[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (given) return;
    let live = true;
    api.get<MigrationPlan>(migrationsPath(flowSid)).then(
      (p) => {
        if (!live) return;
        setPlan(p);
        setChosen(new Set(p.groups.filter((g) => g.mappable).map(groupKey)));
      },
      (err: unknown) => live && setError(describe(err)),
    );
    return () => {
      live = false;
    };
  }, [api, flowSid, given]);

  const running = migrations?.some((m) => m.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => {
      Promise.all(migrations!.map((m) => (m.status === 'running' ? api.get<MigrationResource>(`${migrationsPath(flowSid)}/${m.sid}`) : Promise.resolve(m)))).then(setMigrations, (err: unknown) => setError(describe(err)));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [api, flowSid, migrations, running]);

  const start = async () => {
    setError(undefined);
    try {
      const started: MigrationResource[] = [];
      for (const form of migrationRequests(plan!, chosen)) started.push(await api.post<MigrationResource>(migrationsPath(flowSid), form));
      setMigrations(started);
    } catch (err) {
      setError(describe(err));
    }
  };

  return (
    <Modal title="Migrate waiting contacts" onClose={onClose} wide error={error}>
      {!plan ? <p className="loading">Looking for waiting contacts…</p> : migrations ? <Progress migrations={migrations} /> : <Plan plan={plan} chosen={chosen} setChosen={setChosen} />}
      <footer>
        <span className="spacer" />
        <button type="button" onClick={onClose}>{migrations && !running ? 'Done' : 'Close'}</button>
        {plan && !migrations && plan.mappable > 0 && (
          <button type="button" className="primary" disabled={migrationRequests(plan, chosen).length === 0} onClick={() => void start()}>
            Migrate {plan.groups.filter((g) => g.mappable && chosen.has(groupKey(g))).reduce((n, g) => n + g.executions, 0)} contacts
          </button>
        )}
      </footer>
    </Modal>
  );
}

function Plan({ plan, chosen, setChosen }: { plan: MigrationPlan; chosen: Set<string>; setChosen: (s: Set<string>) => void }) {
  if (plan.groups.length === 0) return <p>No contacts wait in revisions older than revision {plan.to_revision}.</p>;
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (!next.delete(key)) next.add(key);
    setChosen(next);
  };
  return (
    <>
      <p>
        {plan.mappable + plan.unmappable} contacts wait in older revisions{plan.truncated ? ' (the first ones listed)' : ''}. Moving them to revision {plan.to_revision} sends
        nothing: each one&apos;s next reply or timeout takes revision {plan.to_revision}&apos;s path.
      </p>
      <table className="migration-plan">
        <thead>
          <tr><th /><th>From</th><th>Waiting at</th><th>Contacts</th><th>In revision {plan.to_revision}</th></tr>
        </thead>
        <tbody>
          {plan.groups.map((g) => (
            <tr key={groupKey(g)} data-testid="migration-group" className={g.mappable ? 'mappable' : 'unmappable'}>
              <td>{g.mappable && <input type="checkbox" aria-label={`Migrate ${g.widget} of revision ${g.from_revision}`} checked={chosen.has(groupKey(g))} onChange={() => toggle(groupKey(g))} />}</td>
              <td>Revision {g.from_revision}</td>
              <td>{g.widget || <em>not waiting yet</em>}{g.widget_type && <span className="type"> {g.widget_type}</span>}</td>
              <td className="count">{g.executions}</td>
              <td>{g.mappable ? `waits at ${g.to_widget}` : <span className="reason">Cannot move: {g.reason}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Progress({ migrations }: { migrations: readonly MigrationResource[] }) {
  const p = progressOf(migrations);
  const finished = migrations.every((m) => m.status === 'completed');
  return (
    <div className="migration-progress">
      <progress aria-label="Migration progress" max={p.total} value={p.done} />
      <p role="status">
        {finished ? 'Finished' : 'Migrating'}: {p.done} of {p.total} — {p.migrated} migrated{p.already ? `, ${p.already} already moved` : ''}
        {p.refused ? `, ${p.refused} moved on before they could be migrated` : ''}
        {p.failed ? `, ${p.failed} failed` : ''}
      </p>
    </div>
  );
}
