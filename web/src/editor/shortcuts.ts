import { useEffect, useRef } from 'react';

interface Shortcuts {
  undo(): void;
  redo(): void;
  save(): void;
}

/** Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z (or Ctrl+Y) and Ctrl/Cmd+S — except while typing in a field, which keeps its own undo. */
export function useShortcuts(shortcuts: Shortcuts): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || typing(event.target)) return;
      const key = event.key.toLowerCase();
      const action = key === 'z' ? (event.shiftKey ? 'redo' : 'undo') : key === 'y' ? 'redo' : key === 's' ? 'save' : undefined;
      if (!action) return;
      event.preventDefault();
      latest.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

interface ClipboardActions {
  /** The text to put on the clipboard for the selected widgets, or undefined when none is selected. */
  copy(): string | undefined;
  /** Pastes clipboard text; false when it holds no widgets. */
  paste(text: string): boolean;
}

/**
 * Ctrl/Cmd+C and Ctrl/Cmd+V on the canvas copy and paste widgets through the system clipboard
 * (the browser's copy and paste events, which need no permission). Typing in a field, or text
 * selected on the page, keeps the browser's own copy and paste.
 */
export function useWidgetClipboard(actions: ClipboardActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onCopy = (event: ClipboardEvent) => {
      if (typing(event.target) || hasTextSelection()) return;
      const text = latest.current.copy();
      if (text === undefined || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (typing(event.target) || !event.clipboardData) return;
      if (latest.current.paste(event.clipboardData.getData('text/plain'))) event.preventDefault();
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}

function hasTextSelection(): boolean {
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().trim() !== '';
}

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}
