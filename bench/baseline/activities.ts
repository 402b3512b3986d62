import { request } from 'undici';

/** Where the bare send posts: the same Twilio API stand-in the engine's channel posts to. */
export interface BareTarget {
  readonly apiBaseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
}

let target: BareTarget | undefined;

export function configureBareActivities(t: BareTarget): void {
  target = t;
}

/** One Messages API create, as the engine's channel makes it (form body, Basic auth). */
export async function bareSend(to: string, body: string): Promise<void> {
  if (!target) throw new Error('bare activities are not configured');
  const auth = Buffer.from(`${target.accountSid}:${target.authToken}`).toString('base64');
  const response = await request(`${target.apiBaseUrl}/2010-04-01/Accounts/${target.accountSid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ To: to, From: '+15005550006', Body: body }).toString(),
  });
  await response.body.dump();
  if (response.statusCode >= 300) throw new Error(`the stand-in answered ${response.statusCode}`);
}
