/**
 * Limits of a flow definition, named and configurable. Studio's published schema caps `states`
 * at 1,000; its FAQ mentions 2,000 widgets including subflows. The byte size of a definition is
 * not documented, so ours is a generous guard against abuse.
 */
export interface FlowLimits {
  /** Widgets (states) per flow. */
  readonly maxWidgets: number;
  /** UTF-8 bytes of the `Definition` JSON text. */
  readonly maxDefinitionBytes: number;
  /** Characters of a widget name. */
  readonly maxWidgetNameLength: number;
  /** Transitions per widget (split branches are transitions). */
  readonly maxTransitionsPerWidget: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = Object.freeze({
  maxWidgets: 1000,
  maxDefinitionBytes: 1024 * 1024,
  maxWidgetNameLength: 100,
  maxTransitionsPerWidget: 100,
});
