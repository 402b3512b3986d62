import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AccountCredentials } from '../../config/credentials';
import type { ApiKeyStore } from '../../store/api-keys';
import { ApiError } from '../errors';

/**
 * HTTP Basic with the account SID and auth token, as Twilio's REST API takes them. The
 * comparison runs in constant time; a failure answers 401 (20003) with a Basic challenge —
 * except to a script that says so (`X-Requested-With: XMLHttpRequest`, as the editor does): a
 * challenge would make the browser hold the request and ask for a password itself.
 */
export function basicAuth(account: AccountCredentials, apiKeys?: ApiKeyStore): RequestHandler {
  const expected = Buffer.from(`${account.accountSid}:${account.authToken}`, 'utf8');
  return (req, res, next) => {
    const given = parseBasic(req.headers.authorization);
    const authenticated = (apiKeySid?: string) => {
      Object.assign(req, { account, apiKeySid });
      next();
    };
    const refuse = () => {
      // Nobody parses the body of a caller we do not know: it is drained unread (and dropped).
      req.resume();
      if (req.get('X-Requested-With') !== 'XMLHttpRequest') res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
      next(new ApiError(401, 20003, 'Authentication Error - invalid username or password'));
    };
    if (given && given.length === expected.length && timingSafeEqual(given, expected)) return authenticated();
    const key = apiKeys && given ? apiKeyOf(given) : undefined;
    if (!apiKeys || !key) return refuse();
    // Read from the store on every request: a key deleted by any API process stops working at once.
    apiKeys.verify(key.sid, key.secret).then(
      (found) => (found && found.accountSid === account.accountSid ? authenticated(found.sid) : refuse()),
      (error: unknown) => next(error),
    );
  };
}

/** `SK…:secret`, as a client authenticating with an API key sends it. */
function apiKeyOf(given: Buffer): { sid: string; secret: string } | undefined {
  const text = given.toString('utf8');
  const colon = text.indexOf(':');
  const sid = text.slice(0, colon);
  return colon > 0 && /^SK[0-9a-f]{32}$/.test(sid) ? { sid, secret: text.slice(colon + 1) } : undefined;
}

function parseBasic(header: string | undefined): Buffer | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  return match ? Buffer.from(match[1]!, 'base64') : undefined;
}
