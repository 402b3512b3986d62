import type { z } from 'zod';

/**
 * What the Flow JSON contract knows about one widget type: its transition events and the schema
 * of its `properties`. Validation, the OpenAPI document, and the editor's palette and inspector
 * forms (`web/src`) read these; the runtime behaviour lives in `src/widgets/<type>.ts`.
 */
export interface WidgetSpec {
  /** The Studio type id, e.g. `send-and-wait-for-reply`. */
  readonly type: string;
  /** The name Studio's canvas shows, e.g. "Send & Wait For Reply". */
  readonly label: string;
  /** Every transition event the widget can emit, with Studio's spelling. */
  readonly events: readonly string[];
  /** Events that may label several transitions (`split-based-on`'s `match` branches). */
  readonly repeatableEvents?: readonly string[];
  /**
   * The schema of `properties`. Always a loose object: properties Studio adds later, or that
   * we do not model, are kept as they are.
   */
  readonly properties: z.ZodType<Record<string, unknown>>;
  /** Properties that must be literal values, never Liquid (e.g. Run Subflow's `flow_sid`). */
  readonly literalProperties?: readonly string[];
  /** The event reporting failure (HTTP/function/send widgets), for the "no failure path" warning. */
  readonly failureEvent?: string;
  /** The event reporting a timeout (waiting widgets), for the "no timeout path" warning. */
  readonly timeoutEvent?: string;
  /** True for Send & Wait For Reply: it waits for an inbound message from the contact. */
  readonly waitsForReply?: boolean;
  /** True for Start / Resume Conversation: Studio allows them only in flows triggered by the REST API. */
  readonly restOnly?: boolean;
  /** True for types Studio has retired or replaced; they still import and validate. */
  readonly legacy?: boolean;
}

/** Declares a widget spec; `satisfies` keeps literal types while checking the shape. */
export function defineWidget<const S extends WidgetSpec>(spec: S): S {
  return spec;
}
