import { Option, type Command } from 'commander';
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';

/** Where the Studio REST API v2 is, and who asks: ours, or Twilio's own (`https://studio.twilio.com`). */
export interface StudioConnection {
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
}

/**
 * The official `twilio` client (Basic auth, paging by `next_page_url`, Twilio's error shape),
 * unchanged except that every request goes to `url`: the scheme and host of Twilio's own URLs
 * (studio.twilio.com, …) are rewritten. With an API key `username` is its SID and `accountSid`
 * the account's.
 */
export function studioClient(url: string, username: string, password: string, accountSid?: string): twilio.Twilio {
  const target = new URL(url);
  class RedirectingRequestClient extends RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      uri.protocol = target.protocol;
      uri.host = target.host;
      return super.request<TData>({ ...opts, uri: uri.toString() });
    }
  }
  return twilio(username, password, { httpClient: new RedirectingRequestClient(), ...(accountSid ? { accountSid } : {}) });
}

/** `--url`, `--account-sid`, `--auth-token`, as Twilio's own tools take them (or the variables). */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'the server: ours, or https://studio.twilio.com').env('OPEN_STUDIO_URL').default('http://localhost:3000'))
    .addOption(new Option('--account-sid <sid>', 'the account (AC…)').env('TWILIO_ACCOUNT_SID'))
    .addOption(new Option('--auth-token <token>', "the account's auth token").env('TWILIO_AUTH_TOKEN'));
}

export function connectionOf(options: { url: string; accountSid?: string; authToken?: string }): StudioConnection {
  if (!options.accountSid || !options.authToken) throw new Error('an account is needed: --account-sid and --auth-token, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
  try {
    new URL(options.url);
  } catch {
    throw new Error(`--url: not a URL (${options.url})`);
  }
  return { url: options.url, accountSid: options.accountSid, authToken: options.authToken };
}
