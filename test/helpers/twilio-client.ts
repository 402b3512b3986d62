import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';

/**
 * The official `twilio` client, unchanged except that every request goes to our server: the
 * scheme and host of Twilio's URLs (studio.twilio.com, …) are rewritten to `baseUrl`.
 */
export function localTwilioClient(baseUrl: string, accountSid: string, authToken: string): twilio.Twilio {
  const target = new URL(baseUrl);
  class LocalRequestClient extends RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      uri.protocol = target.protocol;
      uri.host = target.host;
      return super.request<TData>({ ...opts, uri: uri.toString() });
    }
  }
  return twilio(accountSid, authToken, { httpClient: new LocalRequestClient() });
}
