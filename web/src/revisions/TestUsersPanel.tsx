import { useEffect, useState } from 'react';
import { flowPath, type TestUsersResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import './revisions.css';

/** The flow's test users: contacts that run the latest draft, so a change can be tried before it is published. */
export function TestUsersPanel({ ctx }: { ctx: EditorContext }) {
  const { api, flow } = ctx;
  const path = `${flowPath(flow.sid)}/TestUsers`;
  const [saved, setSaved] = useState<readonly string[]>();
  const [users, setUsers] = useState<readonly string[]>([]);
  const [input, setInput] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.get<TestUsersResource>(path).then(
      (r) => {
        if (!live) return;
        setSaved(r.test_users);
        setUsers(r.test_users);
      },
      (err: unknown) => {
        if (live) setError(describe(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, path]);

  const add = () => {
    const user = input.trim();
    if (!user) return;
    if (users.includes(user)) {
      setError(`${user} is already a test user`);
      return;
    }
    setUsers([...users, user]);
    setInput('');
    setError(undefined);
    setNotice(undefined);
  };

  const save = async () => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      // Form encoding has no empty list: the API reads a single empty value as "no test users".
      const r = await api.post<TestUsersResource>(path, { TestUsers: users.length ? users : '' });
      setSaved(r.test_users);
      setUsers(r.test_users);
      setNotice(r.test_users.length ? `Saved ${r.test_users.length} test user${r.test_users.length > 1 ? 's' : ''}` : 'Saved: no test users');
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  const changed = saved !== undefined && (saved.length !== users.length || saved.some((u, i) => u !== users[i]));

  return (
    <div className="test-users">
      <p className="hint">
        Test users are contact addresses (a phone number such as <code>+15551234567</code>, or <code>whatsapp:+15551234567</code>) that
        run the latest draft revision instead of the published one, so a change can be tried before everyone gets it.
      </p>
      <form className="add-user" onSubmit={(e) => { e.preventDefault(); add(); }}>
        <label>
          Test user
          <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="+15551234567" autoComplete="off" disabled={saved === undefined} />
        </label>
        <button type="submit" disabled={!input.trim()}>Add</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {saved === undefined ? (
        !error && <p className="loading">Loading test users…</p>
      ) : users.length ? (
        <ul className="user-list" aria-label="Contacts that run the draft">
          {users.map((user) => (
            <li key={user}>
              <code>{user}</code>
              <button type="button" className="link danger" aria-label={`Remove ${user}`} onClick={() => setUsers(users.filter((u) => u !== user))}>Remove</button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No test users: every contact runs the published revision.</p>
      )}
      <div className="save-users">
        {changed && <span className="unsaved">Unsaved changes</span>}
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => void save()} disabled={busy || !changed}>Save test users</button>
      </div>
      {notice && <p className="ok" role="status">{notice}</p>}
    </div>
  );
}
