import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';

/**
 * The official `twilio` client, unchanged except that every request goes to our server: the
 * scheme and host of Twilio's URLs (studio.twilio.com, …) are rewritten to `baseUrl`.
 */
/** With an API key: `username` is its SID, `password` its secret, and `accountSid` the account's. */
export function localTwilioClient(baseUrl: string, username: string, password: string, accountSid?: string): twilio.Twilio {
  const target = new URL(baseUrl);
  class LocalRequestClient extends RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      uri.protocol = target.protocol;
      uri.host = target.host;
      return super.request<TData>({ ...opts, uri: uri.toString() });
    }
  }
  return twilio(username, password, { httpClient: new LocalRequestClient(), ...(accountSid ? { accountSid } : {}) });
}
