import { parse } from 'csv-parse/sync';
import { isContactAddress } from '../channels/addresses';
import type { JsonObject, JsonValue } from '../engine/json';

/** Why a contact of a campaign is not started: recorded with it, never a reason to refuse the list. */
export type SkipReason = 'invalid-number' | 'duplicate' | 'busy';

/** One row of a campaign's list: `To`, and the rest as the execution's `flow.data`. */
export interface CampaignContact {
  readonly to: string;
  readonly data: JsonObject;
  /** Known when the list is read: a `To` that is no address, or one already earlier in the list. */
  readonly skip?: Extract<SkipReason, 'invalid-number' | 'duplicate'>;
}

/** A list that cannot be a campaign's (not a list, a row without `To`, too many rows): refused whole. */
export class ContactListRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactListRejected';
  }
}

/** `Contacts`: a JSON array of objects, each with a string `To`. */
export function contactsFromJson(text: string, maxContacts: number): CampaignContact[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ContactListRejected(`Contacts is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(value)) throw new ContactListRejected('Contacts must be a JSON array of objects, each with a To');
  checkCount(value.length, maxContacts);
  return marked(
    value.map((row: unknown, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new ContactListRejected(`Contacts[${i}] is not an object`);
      const { To, ...data } = row as Record<string, JsonValue>;
      if (typeof To !== 'string') throw new ContactListRejected(`Contacts[${i}] has no To (a string)`);
      return { to: To.trim(), data };
    }),
  );
}

/** A CSV upload: a header row with a `To` column; every other column becomes `flow.data.<name>` (text). */
export function contactsFromCsv(text: string, maxContacts: number): CampaignContact[] {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, to: maxContacts + 1 });
  } catch (err) {
    throw new ContactListRejected(`The CSV cannot be read: ${(err as Error).message}`);
  }
  checkCount(rows.length, maxContacts);
  if (rows.length > 0 && !Object.hasOwn(rows[0]!, 'To')) throw new ContactListRejected(`The CSV has no To column (columns: ${Object.keys(rows[0]!).join(', ')})`);
  return marked(rows.map(({ To, ...data }) => ({ to: To ?? '', data })));
}

function checkCount(count: number, maxContacts: number): void {
  if (count === 0) throw new ContactListRejected('The list has no contacts');
  if (count > maxContacts) throw new ContactListRejected(`The list has more than ${maxContacts} contacts (LIMIT_CAMPAIGN_MAX_CONTACTS)`);
}

/** Marks what is known before anything starts: no address, or the same contact again (one execution per contact). */
function marked(rows: ReadonlyArray<{ to: string; data: JsonObject }>): CampaignContact[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    if (!isContactAddress(row.to)) return { ...row, skip: 'invalid-number' as const };
    if (seen.has(row.to)) return { ...row, skip: 'duplicate' as const };
    seen.add(row.to);
    return row;
  });
}
