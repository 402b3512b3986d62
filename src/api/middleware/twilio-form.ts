import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors';

export interface TwilioFormLimits {
  /** Body size, as body-parser reads it (`'64kb'`). */
  readonly maxBytes: string;
  /** Form parameters; more answers 413. */
  readonly maxParameters: number;
}

/** Form parameters as Twilio sent them; a name sent twice keeps every value, in order. */
export type TwilioParams = Record<string, string | string[]>;

/**
 * Reads a webhook's form body exactly as Twilio signed it, into `req.body`: every name is kept,
 * even one that is empty or names an `Object.prototype` member (`constructor`, `__proto__`),
 * in an object without a prototype, so the signature check covers what was sent and no name
 * can reach a prototype. A general form parser drops such names, and the signature then fails.
 */
export function twilioForm(limits: TwilioFormLimits): RequestHandler[] {
  const text = express.text({ type: 'application/x-www-form-urlencoded', limit: limits.maxBytes });
  const parse: RequestHandler = (req, _res, next) => {
    const raw: unknown = req.body;
    const params: TwilioParams = Object.create(null) as TwilioParams;
    let count = 0;
    for (const [name, value] of new URLSearchParams(typeof raw === 'string' ? raw : '')) {
      if (++count > limits.maxParameters) return next(new ApiError(413, 20413, `More than ${limits.maxParameters} form parameters`));
      const seen = params[name];
      params[name] = seen === undefined ? value : [seen, value].flat();
    }
    req.body = params;
    next();
  };
  return [text, parse];
}
