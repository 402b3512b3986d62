import { useCallback, useState } from 'react';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { MessageChat } from './MessageChat';
import { RestStart } from './RestStart';
import { addTestUser } from './testUsers';
import { useLiveExecution } from './useLiveExecution';
import { VoiceCall } from './VoiceCall';
import { addTest, conversationTest, freshName, type RecordedItem } from '../tests/recording';
import { testsPath, type TestsResource } from '../tests/TestsPanel';
import './simulator.css';

type Mode = 'Message' | 'Voice';

/**
 * Talks to the flow as a contact would, through the local channel, and draws the execution's
 * path on the canvas as it runs. Inbound traffic runs the published revision unless the contact
 * is a Test User, which is what the draft checkbox arranges.
 */
export function SimulatorPanel({ ctx, onTestSaved }: { ctx: EditorContext; onTestSaved?: (name: string) => void }) {
  const [contactInput, setContactInput] = useState('+15555550100');
  // The contact in use changes on blur / Enter only: each change looks up its executions.
  const [contact, setContact] = useState(contactInput);
  const [to, setTo] = useState('+15555550199');
  const [mode, setMode] = useState<Mode>('Message');
  const [draft, setDraft] = useState(false);
  const [error, setError] = useState<string>();
  const [cleared, setCleared] = useState(0);
  const live = useLiveExecution(ctx, contact);
  const { api, flow } = ctx;
  // What the chat or the call shows now, as a test would state it.
  const [recorded, setRecorded] = useState<readonly RecordedItem[]>([]);

  const beforeSend = useCallback(async () => {
    setError(undefined);
    if (!draft) return true;
    try {
      await addTestUser(api, flow.sid, contact);
      return true;
    } catch (err) {
      setError(`Could not add ${contact} as a Test User: ${describe(err)}`);
      return false;
    }
  }, [api, flow.sid, contact, draft]);

  const reset = async () => {
    await live.reset();
    setCleared((n) => n + 1);
  };

  const commitContact = () => setContact(contactInput.trim() || contact);
  const status = live.execution?.status;

  const saveAsTest = async () => {
    setError(undefined);
    try {
      const { tests } = await api.get<TestsResource>(testsPath(flow.sid));
      const name = freshName(tests);
      const end = status === 'ended' ? { ended: true } : status === 'active' && ctx.path?.current ? { ended: false, widget: ctx.path.current } : undefined;
      const test = conversationTest(name, { channel: mode === 'Message' ? 'message' : 'voice', contact, to, items: recorded, ...(end ? { end } : {}) });
      if (!test) return setError('Nothing to save yet: start a conversation first.');
      await api.post(testsPath(flow.sid), { Tests: addTest(tests, test), CommitMessage: `Test "${name}" recorded in the simulator` });
      onTestSaved?.(name);
    } catch (err) {
      setError(`Could not save the test: ${describe(err)}`);
    }
  };

  return (
    <div className="simulator">
      <div className="sim-settings">
        <label>
          Contact (you)
          <input value={contactInput} onChange={(e) => setContactInput(e.target.value)} onBlur={commitContact} onKeyDown={(e) => e.key === 'Enter' && commitContact()} />
        </label>
        <label>
          Flow address (To)
          <input value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <div className="sim-mode" role="radiogroup" aria-label="Mode">
        {(['Message', 'Voice'] as const).map((m) => (
          <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'active' : ''} onClick={() => setMode(m)}>{m}</button>
        ))}
      </div>
      <p className="sim-notice">
        Messages and calls run the <strong>published</strong> revision{flow.status === 'published' ? '' : ' (this flow has unpublished changes)'}, like Twilio's webhooks, unless the contact is a Test User.
        {draft && ctx.dirty ? ' Save the draft first: Test Users run the latest saved revision.' : ''}
      </p>
      <label className="check">
        <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} /> Run the draft (adds this contact as a Test User)
      </label>
      <div className="sim-status">
        <span data-testid="sim-execution-status" className={`exec-status ${status ?? 'none'}`} title={live.execution?.sid}>{status ?? 'no execution'}</span>
        {live.running && status !== 'active' && <span className="muted">Looking for the execution…</span>}
        <span className="spacer" />
        <button type="button" onClick={() => void saveAsTest()} disabled={recorded.length === 0} title="Keep this conversation as a test of the flow: what you did as steps, what the flow answered as expectations">Save as test</button>
        <button type="button" onClick={() => void reset()} title="End the active execution and clear the chat">Reset</button>
      </div>
      {(error ?? live.error) && <p className="error" role="alert">{error ?? live.error}</p>}
      {mode === 'Message' ? (
        <MessageChat ctx={ctx} contact={contact} to={to} running={live.running} cleared={cleared} beforeSend={beforeSend} onSent={live.discover} onConversation={setRecorded} />
      ) : (
        <VoiceCall ctx={ctx} contact={contact} to={to} cleared={cleared} beforeSend={beforeSend} onStarted={live.discover} onConversation={setRecorded} />
      )}
      <RestStart key={`${contact} ${to}`} ctx={ctx} contact={contact} address={to} beforeSend={beforeSend} onStarted={live.follow} />
    </div>
  );
}
