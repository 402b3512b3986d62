/**
 * Why a widget or an execution failed, as data. `code` is `area:problem` (goflow style);
 * `twilioCode` is the Studio/Twilio error or warning code where one exists.
 */
export interface FailureReason {
  readonly code: string;
  readonly message: string;
  readonly twilioCode?: number;
  readonly widget?: string;
}

/**
 * Thrown by widgets and the template renderer for problems in the flow or its data. The
 * engine catches it and turns it into the widget's failure event or the execution's end;
 * it never escapes into workflow code.
 */
export class FlowError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly twilioCode?: number,
  ) {
    super(message);
    this.name = 'FlowError';
  }

  reason(widget?: string): FailureReason {
    return { code: this.code, message: this.message, twilioCode: this.twilioCode, widget };
  }
}

/**
 * Why an execution or a step failed, as the REST API shows it in a context: Studio's error code
 * (`code`, null where Studio has none for that case), the message, the widget, and our own finer
 * `reason` (`http:timeout`, `template:limit`, …).
 */
export interface ServedError {
  readonly code: number | null;
  readonly message: string;
  readonly widget: string | null;
  readonly reason: string;
}

/** A failure reason (or a step's error) as served; the Twilio code is looked up when the reason has none. */
export function servedError(error: { readonly code: string; readonly message: string; readonly twilioCode?: number }, widget: string | undefined, widgetType: string | undefined): ServedError {
  return { code: error.twilioCode ?? twilioCodeOf(error.code, widgetType), message: error.message, widget: widget ?? null, reason: error.code };
}

/**
 * Studio's codes for the failures its widgets report (reference/studio-spec.md §5.3): a Function
 * that could not be invoked (81010) or answered badly (81017), the HTTP Request widget's own
 * errors (81014; a non-2xx answer is not one, Studio just takes `failed`), a message that could
 * not be sent (81011), subflows (81021, 81024), Liquid (84003).
 */
function twilioCodeOf(reason: string, widgetType: string | undefined): number | null {
  if (widgetType === 'run-function' && reason.startsWith('http:')) return ['http:status', 'http:invalid-json', 'http:json-too-deep'].includes(reason) ? 81017 : 81010;
  if (reason === 'http:status') return null;
  if (reason.startsWith('http:')) return 81014;
  if (reason.startsWith('message:')) return 81011;
  if (reason === 'subflow:revision') return 81021;
  if (reason.startsWith('subflow:')) return 81024;
  if (reason.startsWith('template:') || reason === 'limit:json-depth') return 84003;
  return null;
}
