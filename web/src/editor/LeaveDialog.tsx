import { useState } from 'react';
import { Modal } from '../ui/Modal';

/** Leaving the editor with unsaved changes: save them as a draft, drop them, or stay. */
export function LeaveDialog({ onSave, onDiscard, onClose }: { onSave: () => Promise<void>; onDiscard: () => void; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal title="Unsaved changes" onClose={onClose}>
      <p>This flow has changes that are not saved.</p>
      <footer>
        <button type="button" className="danger" onClick={onDiscard}>Discard changes</button>
        <span className="spacer" />
        <button type="button" onClick={onClose}>Keep editing</button>
        <button type="button" className="primary" disabled={busy} onClick={() => { setBusy(true); void onSave().finally(() => setBusy(false)); }}>Save draft and leave</button>
      </footer>
    </Modal>
  );
}
