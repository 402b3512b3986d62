import { useState } from 'react';
import { palette } from '../../../src/flow/widget-catalog';
import { WIDGET_SPECS } from '../../../src/flow/widgets';

/** The library's groups and types, as the specs place them. */
const GROUPS = palette();

/** The drag payload's type: the Studio widget type id being dropped. */
export const WIDGET_DRAG_TYPE = 'application/x-studio-widget';

/** The widget library: drag a widget onto the canvas, or press Enter on it to add it at the centre. */
export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const [filter, setFilter] = useState('');
  const matches = (type: string) => {
    const spec = WIDGET_SPECS[type];
    const term = filter.trim().toLowerCase();
    return spec !== undefined && (!term || spec.label.toLowerCase().includes(term) || type.includes(term));
  };
  return (
    <aside className="palette" aria-label="Widget library">
      <input type="search" placeholder="Search widgets" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Search widgets" />
      {GROUPS.map(([group, types]) => {
        const shown = types.filter(matches);
        if (shown.length === 0) return null;
        return (
          <section key={group}>
            <h3>{group}</h3>
            {shown.map((type) => (
              <button
                key={type}
                type="button"
                className="palette-item"
                draggable
                data-widget-type={type}
                onDragStart={(e) => {
                  e.dataTransfer.setData(WIDGET_DRAG_TYPE, type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(type)}
                title="Drag onto the canvas (or click to add)"
              >
                {WIDGET_SPECS[type]!.label}
              </button>
            ))}
          </section>
        );
      })}
    </aside>
  );
}
