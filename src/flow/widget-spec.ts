import type { z } from 'zod';

/** Studio's widget library groups, in its order. */
export const PALETTE_GROUPS = ['Flow Control', 'Messaging', 'Voice', 'Tools & Execute Code', 'Connect Other Products'] as const;
export type PaletteGroup = (typeof PALETTE_GROUPS)[number];

/** How the editor offers a widget and shows its form. */
export interface WidgetEditorSpec {
  /** Its group in the widget library; absent: not offered (the Trigger, types Studio retired). */
  readonly group?: PaletteGroup;
  /** A dropped widget is named `<prefix>_1`, `<prefix>_2`… as Studio's canvas names them. */
  readonly namePrefix?: string;
  /** What a dropped widget holds: Studio's defaults, so that it passes the schema at once where it can. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Studio's captions where the key alone reads poorly (`body` → "Message Body"). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Texts people write on several lines. */
  readonly multiline?: readonly string[];
  /** Fields the Inspector keeps folded under "Advanced". */
  readonly advanced?: readonly string[];
}

/**
 * Everything that describes one widget type, in one place: its transition events, the schema of
 * its `properties`, what it publishes under `widgets.<name>.`, and how the editor offers it.
 * Validation, the OpenAPI document, the editor (palette, forms, variable suggestions) and the
 * engine's generated property readers all read these; the runtime behaviour lives in
 * `src/widgets/<type>.ts`.
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
  /**
   * The paths it publishes under `widgets.<name>.`; each covers what lies below it (`parsed`
   * covers `parsed.any.depth`). The fixtures check every output a behaviour publishes is here.
   */
  readonly outputs?: readonly string[];
  /** It also publishes variables named by the flow (Set Variables' keys, a subflow's variables). */
  readonly publishesVariables?: boolean;
  /**
   * It runs on the live call: it publishes the parameters of Twilio's callback as they come (the
   * common ones are in `outputs`), and a caller hanging up ends it with `hangup` whether or not it
   * has that event — without a `hangup` transition the execution ends, as in Studio.
   */
  readonly onCall?: boolean;
  readonly editor?: WidgetEditorSpec;
  /**
   * What changes for this widget when its flow moves from Twilio's Studio to this server (the
   * report of `open-studio flows push` for moved flows): a Twilio product it reaches through the
   * server's account, or a difference to act on. Absent or `undefined`: it behaves the same.
   */
  readonly movedHere?: (properties: Readonly<Record<string, unknown>>) => string | undefined;
}

/** Declares a widget spec; `satisfies` keeps literal types while checking the shape. */
export function defineWidget<const S extends WidgetSpec>(spec: S): S {
  return spec;
}
