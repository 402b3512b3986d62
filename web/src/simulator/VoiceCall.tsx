import { useEffect, useMemo, useRef, useState } from 'react';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { Keypad } from './Keypad';
import { readTwiml } from './twiml';
import type { RecordedItem } from '../tests/recording';

interface CallAnswer {
  readonly call_sid: string;
  readonly twiml: string;
  readonly next_url: string | null;
}

type Entry = { readonly kind: 'say' | 'play' | 'pressed' | 'note'; readonly text: string };

/** Twilio follows a `<Redirect>` once the rest played; here after a beat, and not forever. */
const REDIRECT_DELAY_MS = 400;
const MAX_REDIRECTS = 50;
const HUNG_UP = 'You hung up.';

interface VoiceCallProps {
  readonly ctx: EditorContext;
  readonly contact: string;
  readonly to: string;
  readonly cleared: number;
  readonly beforeSend: () => Promise<boolean>;
  readonly onStarted: () => void;
  /** Told what the call went through, as a recorded conversation (for "Save as test"). */
  readonly onConversation?: (items: readonly RecordedItem[]) => void;
}

/** A phone call to the flow over the local channel: what the caller hears, a keypad, hang up. */
export function VoiceCall({ ctx, contact, to, cleared, beforeSend, onStarted, onConversation }: VoiceCallProps) {
  const { api } = ctx;
  const [call, setCall] = useState<CallAnswer & { ended: boolean }>();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [digits, setDigits] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const redirects = useRef(0);
  const view = useMemo(() => (call ? readTwiml(call.twiml) : undefined), [call]);
  const live = call !== undefined && !call.ended;

  useEffect(() => {
    if (cleared > 0) setEntries([]);
  }, [cleared]);
  useEffect(() => {
    onConversation?.(
      entries.flatMap((e): RecordedItem[] => {
        if (e.kind === 'say' || e.kind === 'play') return [{ kind: 'say', text: e.text }];
        if (e.kind === 'pressed') return [{ kind: 'press', digits: e.text }];
        return e.text === HUNG_UP ? [{ kind: 'hangup' }] : [];
      }),
    );
  }, [entries, onConversation]);

  const answer = (next: CallAnswer) => {
    const read = readTwiml(next.twiml);
    setEntries((list) => [...list, ...read.heard.map((h) => ({ kind: h.kind, text: h.text })), ...(read.hangup || !next.next_url ? [{ kind: 'note' as const, text: 'The flow ended the call.' }] : [])]);
    setCall({ ...next, ended: read.hangup || !next.next_url });
    setDigits('');
  };

  const request = async (url: string, extra: Record<string, string>) => {
    if (!call) return;
    setBusy(true);
    setError(undefined);
    try {
      answer(await api.post<CallAnswer>(`/v1/Local/Calls/${call.call_sid}/Requests`, { Url: url, ...extra }));
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  // A TwiML without a Gather (Say then Redirect, a poll while a widget works) goes on by itself.
  const following = live && !busy && view !== undefined && !view.gather && call.next_url !== null && redirects.current < MAX_REDIRECTS;
  useEffect(() => {
    if (!following || !call?.next_url) return;
    const url = call.next_url;
    const timer = setTimeout(() => {
      redirects.current++;
      void request(url, {});
    }, REDIRECT_DELAY_MS);
    return () => clearTimeout(timer);
    // Only a new call answer (or the end of a request) decides a new follow; `request` is per render.
  }, [following, call]);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (!(await beforeSend())) return;
      redirects.current = 0;
      setEntries([{ kind: 'note', text: `Calling ${to} from ${contact}…` }]);
      answer(await api.post<CallAnswer>(`/v1/Local/Flows/${ctx.flow.sid}/Calls`, { From: contact, To: to }));
      onStarted();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  const sendDigits = (value: string) => {
    if (!call?.next_url) return;
    redirects.current = 0;
    setEntries((list) => [...list, { kind: 'pressed', text: value }]);
    void request(call.next_url, { Digits: value });
  };

  // Digits gather until the Gather's numDigits or finishOnKey; with no Gather each key goes alone.
  const press = (key: string) => {
    const gather = view?.gather;
    if (!gather) return sendDigits(key);
    if (gather.finishOnKey !== '' && key === gather.finishOnKey) return sendDigits(digits);
    const next = digits + key;
    if (gather.numDigits !== undefined && next.length >= gather.numDigits) return sendDigits(next);
    setDigits(next);
  };

  const next = call?.next_url;
  const noInput = () => {
    // A Gather that times out falls through to what follows it; with nothing there, Twilio hangs up.
    if (view?.redirect) void request(view.redirect, {});
    else void hangUp();
  };

  const hangUp = async () => {
    if (!call) return;
    setError(undefined);
    // The local phone reports the hang-up to the flow's webhook, as Twilio does to the number's status callback.
    await api.post(`/v1/Local/Calls/${call.call_sid}/Status`, { Status: 'completed' }).catch((err: unknown) => setError(describe(err)));
    setCall({ ...call, ended: true });
    setEntries((list) => [...list, { kind: 'note', text: HUNG_UP }]);
  };

  return (
    <div className="sim-call">
      <div className="sim-call-actions">
        <button type="button" className="primary" onClick={() => void start()} disabled={busy || live}>Call</button>
        <button type="button" className="danger" onClick={() => void hangUp()} disabled={!live}>Hang up</button>
        {live && view?.gather && <button type="button" onClick={noInput} disabled={busy}>No input</button>}
        {live && !view?.gather && !following && next && <button type="button" onClick={() => void request(next, {})} disabled={busy}>Continue</button>}
      </div>
      <ol className="sim-heard" aria-label="What the caller hears" aria-live="polite">
        {entries.map((entry, i) => (
          <li key={i} className={entry.kind}>
            {entry.kind === 'play' ? <a href={entry.text} target="_blank" rel="noreferrer">♪ {entry.text}</a> : entry.kind === 'pressed' ? `You pressed ${entry.text || '(nothing)'}` : entry.text}
          </li>
        ))}
      </ol>
      {live && view?.gather && <p className="sim-gather">Waiting for {view.gather.numDigits ? `${view.gather.numDigits} digit(s)` : `digits ending with ${view.gather.finishOnKey || 'a pause'}`}{digits ? ` · typed ${digits}` : ''}</p>}
      <Keypad onPress={press} disabled={!live || busy || !call.next_url} />
      {error && <p className="error" role="alert">{error}</p>}
      {call && (
        <details className="sim-twiml">
          <summary>TwiML</summary>
          <pre>{call.twiml}</pre>
        </details>
      )}
    </div>
  );
}
