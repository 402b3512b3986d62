import { useContext, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { filterSuggestions, insertSuggestion, liquidQueryAt } from './suggestions';
import { SuggestionsContext } from './suggestions-context';

type TextElement = HTMLInputElement | HTMLTextAreaElement;

export interface LiquidInputProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly multiline?: boolean;
  readonly invalid?: boolean;
  readonly required?: boolean;
  readonly placeholder?: string;
  /** The caption is read by assistive technology only (rows of a list have a visible header). */
  readonly hideLabel?: boolean;
  /** Shown after the input, outside the <label> so it is not part of the accessible name. */
  readonly children?: ReactNode;
}

/**
 * A text field for Liquid templates: typing `{{` opens the variables the widget can read,
 * filtered by what follows; arrows move, Enter or a click inserts `{{path}}`, Escape closes.
 * The label wraps only the caption and the input, so its accessible name is the caption.
 */
export function LiquidInput({ label, value, onChange, multiline, invalid, required, placeholder, hideLabel, children }: LiquidInputProps) {
  const all = useContext(SuggestionsContext);
  const element = useRef<TextElement | null>(null);
  const pendingCaret = useRef<number | null>(null);
  // Where the caret is while the list may show; null once closed (blur, Escape, insertion).
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputId = useId();

  const query = caret === null ? undefined : liquidQueryAt(value, caret);
  const matches = query ? filterSuggestions(all, query.query) : [];
  const open = matches.length > 0;
  const current = Math.min(active, matches.length - 1);

  useLayoutEffect(() => {
    // Put the caret after an inserted tag once React has written the new value.
    if (pendingCaret.current !== null && element.current) {
      element.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  const track = (target: TextElement) => {
    setCaret(target.selectionStart ?? target.value.length);
    setActive(0);
  };

  const insert = (path: string) => {
    if (!query || caret === null) return;
    const next = insertSuggestion(value, caret, query, path);
    pendingCaret.current = next.caret;
    setCaret(null);
    onChange(next.text);
  };

  const onKeyDown = (e: KeyboardEvent<TextElement>) => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + matches.length) % matches.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      const chosen = matches[current];
      if (chosen) insert(chosen);
    } else if (e.key === 'Escape') {
      // Closing the list must not also close a dialog or clear the selection around it.
      e.preventDefault();
      e.stopPropagation();
      setCaret(null);
    }
  };

  const common = {
    value,
    placeholder,
    required,
    className: invalid ? 'invalid' : undefined,
    'aria-invalid': invalid || undefined,
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open ? `${listId}-${current}` : undefined,
    spellCheck: false,
    ref: (el: TextElement | null) => {
      element.current = el;
    },
    onChange: (e: { target: TextElement }) => {
      onChange(e.target.value);
      track(e.target);
    },
    onKeyDown,
    onKeyUp: (e: KeyboardEvent<TextElement>) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') track(e.currentTarget);
    },
    onClick: (e: { currentTarget: TextElement }) => track(e.currentTarget),
    onBlur: () => setCaret(null),
  };

  return (
    <div className="insp-liquid">
      {multiline ? (
        // A textarea's text is part of a wrapping label's text, so it is labelled with `for` instead.
        <div className="insp-labelled">
          <label htmlFor={inputId} className={hideLabel ? 'insp-caption insp-sr-only' : 'insp-caption'}>{label}</label>
          <textarea id={inputId} rows={4} {...common} />
        </div>
      ) : (
        <label>
          <span className={hideLabel ? 'insp-caption insp-sr-only' : 'insp-caption'}>{label}</span>
          <input type="text" {...common} />
        </label>
      )}
      {open && (
        <ul className="insp-suggestions" role="listbox" id={listId} aria-label={`Variables for ${label}`}>
          {matches.map((path, i) => (
            <li
              key={path}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'active' : undefined}
              // Keep the focus (and the caret) in the input while clicking.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => insert(path)}
            >
              {path}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
