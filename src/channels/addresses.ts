/**
 * The addresses a REST-started execution may name. Studio tracks contacts by address string, so
 * phone numbers must be E.164 (`+`, a country code that does not start with 0, at most 15
 * digits): `4155550100` and `+1 415 555 0100` would be different contacts from `+14155550100`.
 * Other channels carry their prefix, as Twilio writes them in webhooks.
 */
const E164 = /^\+[1-9]\d{1,14}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/;
const CHANNEL_ADDRESSES: Readonly<Record<string, RegExp>> = Object.freeze({
  whatsapp: E164,
  messenger: /^\d{1,32}$/,
  rcs: /^(\+[1-9]\d{1,14}|[A-Za-z0-9_.-]{1,64})$/,
  client: /^[A-Za-z0-9_.@-]{1,121}$/,
  // RFC 3261's user part: unreserved, user-unreserved and %-escaped characters only.
  sip: /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2}){1,64}@[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/,
});

/**
 * Control characters (C0, DEL, C1), lone surrogates and line/paragraph separators: no address
 * holds them, and they break what addresses become — workflow IDs, visibility search
 * attributes, log lines. Refused before any shape is looked at, whatever the shapes allow.
 */
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Whether text holds a character no address may hold (for entry points that check no shape). */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_TEXT.test(text);
}

export const ADDRESS_FORMS = 'an E.164 phone number (+ then up to 15 digits) or a channel address (whatsapp:+…, messenger:…, rcs:…, client:…, sip:…)';

/** A contact's address: an E.164 number, or `<channel>:<address>` for the channels above. */
export function isContactAddress(address: string): boolean {
  if (hasUnsafeCharacters(address)) return false;
  if (E164.test(address)) return true;
  const colon = address.indexOf(':');
  if (colon < 0) return false;
  const channel = address.slice(0, colon);
  return Object.hasOwn(CHANNEL_ADDRESSES, channel) && CHANNEL_ADDRESSES[channel]!.test(address.slice(colon + 1));
}

/** The flow's own address: a contact-style address, or a Messaging Service SID for SMS. */
export function isChannelAddress(address: string): boolean {
  return MESSAGING_SERVICE_SID.test(address) || isContactAddress(address);
}

/** UTF-8 bytes of addresses together: Studio bounds `To` and `From` together (81023), as they make a workflow ID. */
export function addressBytes(...addresses: ReadonlyArray<string | undefined>): number {
  return Buffer.byteLength(addresses.join(''), 'utf8');
}
