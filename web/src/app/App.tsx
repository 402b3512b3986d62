import { useEffect, useMemo, useState } from 'react';
import { ApiClient, type Credentials } from '../api/client';
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
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const api = useMemo(() => (credentials ? new ApiClient(credentials) : undefined), [credentials]);

  if (!api || !credentials) {
    return <SignIn onSignedIn={(c, remember) => { storeCredentials(c, remember); setCredentials(c); }} />;
  }
  const signOut = () => { forgetCredentials(); setCredentials(undefined); };
  const open = (sid: string | undefined) => { window.location.hash = sid ? `#/flows/${sid}` : '#/flows'; };
  const sid = flowOfHash(hash);
  return sid ? <Editor key={sid} api={api} sid={sid} onClose={() => open(undefined)} /> : <FlowList api={api} account={credentials.accountSid} onOpen={open} onSignOut={signOut} />;
}
