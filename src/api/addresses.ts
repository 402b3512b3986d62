import { ADDRESS_FORMS, addressBytes, isChannelAddress, isContactAddress } from '../channels/addresses';
import { ApiError } from './errors';

/**
 * The rules for the two addresses that start an execution — the contact's and the flow's own —
 * at every entry point: REST starts, the local channel, and (through `checkAddressBytes`) the
 * flow webhook. Twilio's parameter names decide the codes: 21211 for a bad `To`, 21212 for a
 * bad `From`, whichever of them is the contact.
 */
export interface StartAddresses {
  readonly To: string;
  readonly From: string;
  /** Which parameter names the contact; the other is the flow's own address. */
  readonly contact: 'To' | 'From';
}

/** 81023 when the addresses together exceed `maxBytes` UTF-8 bytes: they make a workflow ID, which Temporal bounds. */
export function checkAddressBytes(maxBytes: number, what: string, ...addresses: ReadonlyArray<string | undefined>): void {
  if (addressBytes(...addresses) > maxBytes) throw new ApiError(400, 81023, `${what} exceed ${maxBytes} bytes`);
}

/** Size first (as Studio answers), then each address's shape; control characters fail the shape. */
export function checkStartAddresses(addresses: StartAddresses, maxBytes: number): void {
  checkAddressBytes(maxBytes, 'To and From together', addresses.To, addresses.From);
  for (const parameter of ['To', 'From'] as const) {
    const value = addresses[parameter];
    const isContact = addresses.contact === parameter;
    if (isContact ? isContactAddress(value) : isChannelAddress(value)) continue;
    const expected = isContact ? ADDRESS_FORMS : `${ADDRESS_FORMS}, or a Messaging Service SID`;
    throw new ApiError(400, parameter === 'To' ? 21211 : 21212, `Invalid '${parameter}' address ${JSON.stringify(value)}: expected ${expected}`);
  }
}
