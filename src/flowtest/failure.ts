/**
 * A test that did not go as written: the step's message, and what it expected against what
 * happened when the step compares. Never a crash of the runner itself.
 */
export class FlowTestFailure extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message);
    this.name = 'FlowTestFailure';
  }
}
