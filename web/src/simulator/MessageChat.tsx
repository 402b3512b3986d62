import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { usePoll } from '../executions/poll';
import { LIVE_POLL_MS } from './useLiveExecution';
import type { RecordedItem } from '../tests/recording';

interface LocalMessage {
  readonly sid: string;
  readonly direction: 'outbound' | 'inbound';
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly media_urls: string[];
  readonly status: string;
  readonly date_created: string;
}

/** Why a message started nothing (`outcome` of the local channel), in the user's terms. */
const OUTCOMES: Record<string, string> = {
  'no-revision': 'The flow has no published revision: publish it, or tick "Run the draft".',
  duplicate: 'The message was already received.',
  invalid: 'The message was refused (From and To are required).',
};

interface MessageChatProps {
  readonly ctx: EditorContext;
  readonly contact: string;
  readonly to: string;
  /** True while the contact's execution runs (or is being looked for): the chat polls only then. */
  readonly running: boolean;
  /** Changes when the simulator is reset: what is shown so far is hidden. */
  readonly cleared: number;
  /** Runs before sending (the Test User step); false stops the send. */
  readonly beforeSend: () => Promise<boolean>;
  readonly onSent: () => void;
  /** Told what the chat shows, as a recorded conversation (for "Save as test"). */
  readonly onConversation?: (items: readonly RecordedItem[]) => void;
}

/** A chat with the flow over the local channel: the contact's messages right, the flow's left. */
export function MessageChat({ ctx, contact, to, running, cleared, beforeSend, onSent, onConversation }: MessageChatProps) {
  const [messages, setMessages] = useState<LocalMessage[]>([]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const end = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    const page = await ctx.api.get<{ messages: LocalMessage[] }>('/v1/Local/Messages', { Contact: contact, PageSize: 100 });
    // The API lists newest first; a chat reads oldest first.
    setMessages(page.messages.slice().reverse());
  }, [ctx.api, contact]);

  // Read once on opening and whenever the execution starts or stops (its last replies land then).
  useEffect(() => {
    load().catch((err: unknown) => setError(describe(err)));
  }, [load, running]);
  usePoll(load, running ? LIVE_POLL_MS : undefined);

  // Reset hides what was there when it was pressed, not the replies that arrive afterwards.
  const shownBefore = useRef(messages);
  useEffect(() => {
    shownBefore.current = messages;
  });
  useEffect(() => {
    if (cleared > 0) setHidden(new Set(shownBefore.current.map((m) => m.sid)));
  }, [cleared]);

  const shown = messages.filter((m) => !hidden.has(m.sid));
  const shownKey = shown.map((m) => m.sid).join(',');
  useEffect(() => {
    onConversation?.(shown.map((m) => (m.direction === 'inbound' ? { kind: 'in', text: m.body } : { kind: 'out', text: m.body })));
    // The list changes identity on every poll; what it holds is what matters.
  }, [shownKey, onConversation]);
  // A block body: Chromium's scrollIntoView now returns a promise, which React would take for a clean-up.
  useEffect(() => {
    void end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [shown.length]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      if (!(await beforeSend())) return;
      const sent = await ctx.api.post<LocalMessage & { outcome: string }>(`/v1/Local/Flows/${ctx.flow.sid}/Messages`, { From: contact, To: to, Body: text });
      setMessages((list) => (list.some((m) => m.sid === sent.sid) ? list : [...list, sent]));
      setText('');
      if (sent.outcome === 'delivered') onSent();
      else setError(OUTCOMES[sent.outcome] ?? `Not delivered: ${sent.outcome}`);
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sim-chat">
      <div className="sim-messages" aria-live="polite">
        {shown.length === 0 && <p className="empty">Send a message to start the flow.</p>}
        {shown.map((m) => (
          <div key={m.sid} data-testid="sim-message" className={`sim-message ${m.direction}`} title={`${m.from} → ${m.to} · ${m.status}`}>
            {m.body}
            {m.media_urls.map((url) => <a key={url} href={url} target="_blank" rel="noreferrer">{url}</a>)}
          </div>
        ))}
        <div ref={end} />
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <form className="sim-compose" onSubmit={(e) => void send(e)}>
        <input aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} placeholder={`As ${contact}`} />
        <button type="submit" className="primary" disabled={busy}>Send</button>
      </form>
    </div>
  );
}
