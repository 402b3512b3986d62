import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AccountCredentials } from '../../config/credentials';
import { ApiError } from '../errors';

/**
 * HTTP Basic with the account SID and auth token, as Twilio's REST API takes them. The
 * comparison runs in constant time; a failure answers 401 (20003) with a Basic challenge —
 * except to a script that says so (`X-Requested-With: XMLHttpRequest`, as the editor does): a
 * challenge would make the browser hold the request and ask for a password itself.
 */
export function basicAuth(account: AccountCredentials): RequestHandler {
  const expected = Buffer.from(`${account.accountSid}:${account.authToken}`, 'utf8');
  return (req, res, next) => {
    const given = parseBasic(req.headers.authorization);
    if (given && given.length === expected.length && timingSafeEqual(given, expected)) {
      (req as typeof req & { account: AccountCredentials }).account = account;
      return next();
    }
    // Nobody parses the body of a caller we do not know: it is drained unread (and dropped).
    req.resume();
    if (req.get('X-Requested-With') !== 'XMLHttpRequest') res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
    next(new ApiError(401, 20003, 'Authentication Error - invalid username or password'));
  };
}

function parseBasic(header: string | undefined): Buffer | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  return match ? Buffer.from(match[1]!, 'base64') : undefined;
}
