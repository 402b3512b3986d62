import { useState } from 'react';
import { Modal } from '../ui/Modal';

/** Publish with a commit message, as Studio asks for one. */
export function PublishDialog({ onPublish, onClose }: { onPublish: (message: string) => Promise<void>; onClose: () => void }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal title="Publish flow" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void onPublish(message.trim()).finally(() => setBusy(false));
        }}
      >
        <label>
          Commit message
          <input autoFocus value={message} maxLength={1000} onChange={(e) => setMessage(e.target.value)} placeholder="What changed" aria-label="Commit message" />
        </label>
        <footer>
          <span className="spacer" />
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Publish</button>
        </footer>
      </form>
    </Modal>
  );
}
