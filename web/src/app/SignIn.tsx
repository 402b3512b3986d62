import { useState } from 'react';
import { ApiClient, ApiError, type Credentials } from '../api/client';

/** Sign in with the account SID and auth token `npm start` prints (the same Basic credentials the REST API takes). */
export function SignIn({ onSignedIn }: { onSignedIn: (credentials: Credentials, remember: boolean) => void }) {
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
      await new ApiClient(credentials).get('/v2/Flows', { PageSize: 1 });
      onSignedIn(credentials, remember);
    } catch (err) {
      setProblem(err instanceof ApiError && err.status === 401 ? 'The Account SID or Auth Token is wrong.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <h1>Open Studio</h1>
        <p>Sign in with the Account SID and Auth Token that <code>npm start</code> prints.</p>
        <label>Account SID<input name="accountSid" value={accountSid} onChange={(e) => setAccountSid(e.target.value)} autoComplete="username" placeholder="AC…" required /></label>
        <label>Auth Token<input name="authToken" type="password" value={authToken} onChange={(e) => setAuthToken(e.target.value)} autoComplete="current-password" required /></label>
        <label className="check"><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember me on this browser</label>
        {problem && <p className="error" role="alert">{problem}</p>}
        <button type="submit" className="primary" disabled={busy}>Sign in</button>
      </form>
    </main>
  );
}
