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
