/**
 * Limits of a flow definition, named and configurable. Studio's FAQ allows at most 2,000 widgets
 * per flow, subflows included (https://www.twilio.com/docs/studio/user-guide/studio-faq, "What
 * limits exist in Studio?"); its older published schema capped `states` at 1,000. The byte size
 * of a definition is not documented, so ours is a generous guard against abuse.
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
  /** Characters of a flow's friendly name. */
  readonly maxFriendlyNameLength: number;
  /** Characters of a revision's commit message. */
  readonly maxCommitMessageLength: number;
  /** Characters of one Liquid template (a property or condition value with Liquid in it). */
  readonly maxTemplateChars: number;
  /** Test users per flow. */
  readonly maxTestUsers: number;
  /** UTF-8 bytes of one test user's address (Studio: 300). */
  readonly maxTestUserBytes: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = Object.freeze({
  maxWidgets: 2000,
  maxDefinitionBytes: 1024 * 1024,
  maxWidgetNameLength: 100,
  maxTransitionsPerWidget: 100,
  maxFriendlyNameLength: 255,
  maxCommitMessageLength: 1000,
  maxTemplateChars: 32 * 1024,
  maxTestUsers: 100,
  maxTestUserBytes: 300,
});
