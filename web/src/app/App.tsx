import { useEffect, useMemo, useState } from 'react';
import { ApiClient, ApiError, type Credentials } from '../api/client';
import { SESSION_PATH, type SessionResource } from '../api/resources';
import { Editor } from '../editor/Editor';
import { FlowList } from '../flows/FlowList';
import { forgetCredentials, storeCredentials, storedCredentials } from './session';
import { SignIn } from './SignIn';

/** `#/flows/FW…` opens a flow; anything else is the flow list. Hash routes need no server fallback. */
function flowOfHash(hash: string): string | undefined {
  return /^#\/flows\/(FW[0-9a-f]{32})$/.exec(hash)?.[1];
}

export function App() {
  const [credentials, setCredentials] = useState<Credentials | undefined>(storedCredentials);
  const [session, setSession] = useState<SessionResource>();
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const api = useMemo(() => (credentials ? new ApiClient(credentials) : undefined), [credentials]);
  const signOut = () => { forgetCredentials(); setCredentials(undefined); setSession(undefined); };
  // Remembered credentials are asked again who they are: a deleted key or a changed token signs out.
  useEffect(() => {
    if (!api || session) return;
    api.get<SessionResource>(SESSION_PATH).then(setSession, (err) => {
      if (err instanceof ApiError && err.status === 401) signOut();
    });
  }, [api, session]);

  if (!api || !credentials) {
    return <SignIn onSignedIn={(c, remember, who) => { storeCredentials(c, remember); setSession(who); setCredentials(c); }} />;
  }
  const open = (sid: string | undefined) => { window.location.hash = sid ? `#/flows/${sid}` : '#/flows'; };
  const sid = flowOfHash(hash);
  const account = session ? `${session.account_sid}${session.api_key_sid ? ` · API key ${session.api_key_sid}` : ''}` : '…';
  return sid ? <Editor key={sid} api={api} sid={sid} onClose={() => open(undefined)} /> : <FlowList api={api} account={account} onOpen={open} onSignOut={signOut} />;
}
