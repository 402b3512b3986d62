import { useEffect, type ReactNode } from 'react';

/** A modal dialog: Escape or the backdrop closes it; `error` shows what went wrong with its action. */
export function Modal({ title, onClose, children, wide, error }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; error?: string }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="link" onClick={onClose} aria-label="Close">×</button>
        </header>
        {error && <p className="error" role="alert">{error}</p>}
        {children}
      </div>
    </div>
  );
}
