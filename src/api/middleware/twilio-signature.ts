import type { RequestHandler } from 'express';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { ApiError } from '../errors';

export interface SignatureOptions {
  /** PUBLIC_URL: the URL Twilio called is this plus the request's path and query. */
  readonly publicUrl: string;
  readonly authToken: string;
  /** WEBHOOK_VALIDATION */
  readonly enabled: boolean;
}

/**
 * Refuses a webhook without `X-Twilio-Signature` before its body is read: the signature covers
 * the form, so only the header's presence can be judged first, but a caller who did not even
 * sign gets no parser's time. The body is drained unread.
 */
export function signaturePresent(options: Pick<SignatureOptions, 'enabled'>): RequestHandler {
  return (req, _res, next) => {
    if (!options.enabled || req.header('x-twilio-signature')) return next();
    req.resume();
    next(new ApiError(403, 20403, 'Missing X-Twilio-Signature'));
  };
}

/**
 * Checks `X-Twilio-Signature` on Twilio's webhooks before anything else happens: HMAC-SHA1 of
 * the public URL and the sorted form parameters with the account's auth token (twilio's own
 * `validateRequest`, which also accepts the URL with or without a default port). A missing or
 * forged signature answers 403.
 */
export function twilioSignature(options: SignatureOptions): RequestHandler {
  return (req, _res, next) => {
    if (!options.enabled) return next();
    const signature = req.header('x-twilio-signature');
    const url = `${options.publicUrl}${req.originalUrl}`;
    const params = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>) : {};
    if (signature && validateRequest(options.authToken, signature, url, params)) return next();
    next(new ApiError(403, 20403, signature ? 'Invalid X-Twilio-Signature' : 'Missing X-Twilio-Signature'));
  };
}
