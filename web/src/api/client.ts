/**
 * The editor's only way to the server: Studio's REST API v2 (and our local channel's v1
 * routes), with the account's Basic credentials, form-encoded requests as the `twilio` client
 * sends them, and Twilio's error shape turned into `ApiError`.
 */

export interface Credentials {
  readonly accountSid: string;
  readonly authToken: string;
}

/** A Twilio-shaped error answer: `{ code, message, more_info, status, details? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Form or query parameters; an array repeats the key (`TestUsers=a&TestUsers=b`), as Twilio's lists are sent. */
export type Params = Record<string, string | number | boolean | readonly string[] | undefined>;

export class ApiClient {
  constructor(
    readonly credentials: Credentials,
    private readonly base = '',
  ) {}

  get<T>(path: string, query: Params = {}): Promise<T> {
    const search = encode(query).toString();
    return this.request<T>('GET', search ? `${path}?${search}` : path);
  }

  post<T>(path: string, form: Params = {}): Promise<T> {
    return this.request<T>('POST', path, encode(form));
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** Follows Studio's `meta.next_page_url` until `limit` items are read (or none are left). */
  async list<T>(path: string, key: string, query: Params = {}, limit = 1000): Promise<T[]> {
    const items: T[] = [];
    let page = await this.get<Page>(path, { PageSize: 50, ...query });
    for (;;) {
      items.push(...((page[key] as T[] | undefined) ?? []));
      const next = page.meta?.next_page_url;
      if (!next || items.length >= limit) return items.slice(0, limit);
      const url = new URL(next, window.location.origin);
      page = await this.request<Page>('GET', `${url.pathname}${url.search}`);
    }
  }

  private async request<T>(method: string, path: string, body?: URLSearchParams): Promise<T> {
    // X-Requested-With: a wrong token then answers a plain 401, not a challenge the browser would
    // hold the request for while it asks for a password in a dialog of its own.
    const headers: Record<string, string> = { Authorization: basic(this.credentials), Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, body });
    } catch (err) {
      throw new ApiError(0, 0, `The server cannot be reached (${(err as Error).message})`);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const json = parse(text);
    if (!response.ok) {
      const error = (json ?? {}) as { code?: number; message?: string; details?: unknown };
      throw new ApiError(response.status, error.code ?? response.status, error.message ?? (text.slice(0, 200) || response.statusText), error.details);
    }
    return json as T;
  }
}

interface Page {
  readonly meta?: { readonly next_page_url?: string | null };
  readonly [key: string]: unknown;
}

function encode(params: Params): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const item of value as readonly string[]) search.append(key, item);
    else if (value !== undefined) search.append(key, String(value));
  }
  return search;
}

function basic({ accountSid, authToken }: Credentials): string {
  return `Basic ${btoa(`${accountSid}:${authToken}`)}`;
}

function parse(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
