import { createContext } from 'react';
import type { CanvasInsights } from './stats';

/**
 * The counts of Insights mode, for the widget nodes; undefined outside it. A context rather than
 * node data: the canvas's nodes stay those of the definition, and only the widgets re-render
 * when the counts change.
 */
export const WidgetInsightsContext = createContext<CanvasInsights | undefined>(undefined);
