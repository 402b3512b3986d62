import { useState } from 'react';
import { ApiClient, ApiError, type Credentials } from '../api/client';
import { SESSION_PATH, type SessionResource } from '../api/resources';

/**
 * Sign in with what the REST API takes as Basic credentials: the account SID and auth token
 * `npm start` prints, or an API key's SID and secret (as Twilio's clients use keys). The answer
 * names the account, which a key's SID does not.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (credentials: Credentials, remember: boolean, session: SessionResource) => void }) {
  const [accountSid, setAccountSid] = useState('');
  const [authToken, setAuthToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setProblem(undefined);
    const credentials = { accountSid: accountSid.trim(), authToken: authToken.trim() };
    try {
      const session = await new ApiClient(credentials).get<SessionResource>(SESSION_PATH);
      onSignedIn(credentials, remember, session);
    } catch (err) {
      setProblem(err instanceof ApiError && err.status === 401 ? 'The SID or its secret is wrong (or the API key was deleted).' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <h1>Open Studio</h1>
        <p>Sign in with the Account SID and Auth Token that <code>npm start</code> prints, or with an API key&apos;s SID and secret.</p>
        <label>Account SID or API key SID<input name="accountSid" value={accountSid} onChange={(e) => setAccountSid(e.target.value)} autoComplete="username" placeholder="AC… or SK…" required /></label>
        <label>Auth Token or API key secret<input name="authToken" type="password" value={authToken} onChange={(e) => setAuthToken(e.target.value)} autoComplete="current-password" required /></label>
        <label className="check"><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember me on this browser</label>
        {problem && <p className="error" role="alert">{problem}</p>}
        <button type="submit" className="primary" disabled={busy}>Sign in</button>
      </form>
    </main>
  );
}
