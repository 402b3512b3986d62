import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from './errors';

/** Twilio's list parameters: `PageSize` 1–1000 (default 50), `Page` (client state), `PageToken`. */
export const pageParams = z.looseObject({
  PageSize: z.coerce.number().int().min(1).max(1000).default(50),
  Page: z.coerce.number().int().min(0).max(1_000_000).default(0),
  PageToken: z.string().max(500).optional(),
});
export type PageParams = z.infer<typeof pageParams>;

/** Twilio's paging envelope. */
export const pageMetaSchema = z.object({
  page: z.number(),
  page_size: z.number(),
  first_page_url: z.string(),
  previous_page_url: z.string().nullable(),
  url: z.string(),
  next_page_url: z.string().nullable(),
  key: z.string(),
});

const TOKEN = /^PT([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/;

/** A page token we did not issue, or not for this list. */
export function invalidPageToken(): ApiError {
  return new ApiError(400, 20001, 'Invalid parameter PageToken');
}

/**
 * Page tokens are ours: each is signed (HMAC-SHA256, 128 bits) with a key derived from the
 * account's auth token, over the list it belongs to and the position it holds. A token that does
 * not verify is refused before anything reads it, so no caller can hand Temporal or the store a
 * cursor we did not issue. Derived, not random: every API process of the account signs alike, so
 * a client may follow `next_page_url` to any of them; a new auth token retires old tokens.
 */
export class PageTokens {
  private readonly key: Buffer;

  constructor(authToken: string) {
    this.key = createHmac('sha256', authToken).update('open-studio page tokens v1').digest();
  }

  /** The tokens of one list, e.g. `ListExecution/FW…`: a token of another list does not verify there. */
  forList(list: string): ListPageTokens {
    return new ListPageTokens(this.key, list);
  }
}

/**
 * Opaque page tokens hold the keyset position after the last item of a page, so following
 * `next_page_url` neither repeats nor skips items when others are added meanwhile.
 */
export class ListPageTokens {
  constructor(
    private readonly key: Buffer,
    private readonly list: string,
  ) {}

  encode(position: unknown): string {
    const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    return `PT${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** Whether this list issued `token`, unaltered. */
  verifies(token: string): boolean {
    return this.payloadOf(token) !== undefined;
  }

  /** The position in a token this list issued; anything else is 400 (20001). */
  decode<T>(token: string | undefined, schema: z.ZodType<T>): T | undefined {
    if (token === undefined) return undefined;
    const payload = this.payloadOf(token);
    if (payload === undefined) throw invalidPageToken();
    try {
      return schema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      throw invalidPageToken();
    }
  }

  private payloadOf(token: string): string | undefined {
    const match = TOKEN.exec(token);
    if (!match) return undefined;
    const given = Buffer.from(match[2]!, 'base64url');
    const expected = this.mac(match[1]!);
    return given.length === expected.length && timingSafeEqual(given, expected) ? match[1] : undefined;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${this.list}\n${payload}`).digest().subarray(0, 16);
  }
}

/** Twilio's paging envelope for a page of `key`, with `next_page_url` when `nextToken` is given. */
export function pageMeta(baseUrl: string, key: string, params: PageParams, nextToken: string | undefined, filters: Readonly<Record<string, string | undefined>> = {}): z.infer<typeof pageMetaSchema> {
  // The list's filters ride along in every link, as in Twilio's: page 2 of a filtered list is filtered.
  const kept = Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const link = (pageNumber: number, token?: string) => {
    const query = new URLSearchParams([...kept, ['PageSize', String(params.PageSize)], ['Page', String(pageNumber)]]);
    if (token) query.set('PageToken', token);
    return `${baseUrl}?${query.toString()}`;
  };
  return {
    page: params.Page,
    page_size: params.PageSize,
    first_page_url: link(0),
    previous_page_url: params.Page > 0 ? link(params.Page - 1) : null,
    url: link(params.Page, params.PageToken),
    next_page_url: nextToken ? link(params.Page + 1, nextToken) : null,
    key,
  };
}

/**
 * Builds a page from up to `PageSize + 1` items read after the position: the extra item only
 * tells whether a next page exists.
 */
export function page<T>(options: {
  readonly baseUrl: string;
  readonly key: string;
  readonly params: PageParams;
  readonly items: readonly T[];
  readonly positionOf: (item: T) => unknown;
  readonly tokens: ListPageTokens;
}): { meta: z.infer<typeof pageMetaSchema>; items: T[] } {
  const items = options.items.slice(0, options.params.PageSize);
  const last = items[items.length - 1];
  const hasNext = options.items.length > options.params.PageSize && last !== undefined;
  return { items, meta: pageMeta(options.baseUrl, options.key, options.params, hasNext ? options.tokens.encode(options.positionOf(last)) : undefined) };
}

/** Twilio's date format: ISO-8601 UTC to the second. */
export function twilioDate(iso: string): string;
export function twilioDate(iso: string | null): string | null;
export function twilioDate(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d+Z$/, 'Z');
}
