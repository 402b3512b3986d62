import { MockAgent, type Dispatcher } from 'undici';
import type { Transcript } from './capture';

/** A canned answer for the HTTP requests of Make HTTP Request and Run Function. */
export interface HttpMock {
  /** The request URL; `*` matches any run of characters. A pattern without `?` ignores the query. */
  readonly url: string;
  /** Only this method (any when absent). */
  readonly method?: string;
  /** A list answers successive requests in turn, its last answer repeating. */
  readonly respond: MockAnswer | readonly MockAnswer[];
}

export interface MockAnswer {
  readonly status?: number;
  readonly json?: unknown;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request no mock answered: the test fails on it, the flow never reaches the network. */
export interface UnmatchedRequest {
  readonly method: string;
  readonly url: string;
}

/** The status a request no mock matches gets, so the widget fails fast while the test reports it. */
const UNMATCHED_STATUS = 599;

/**
 * The HTTP agent the activities use in flow tests: undici's own mock agent (so the production
 * request code, its limits and redirects run unchanged) with one catch-all interceptor that
 * answers from the running test's mocks, records every request in its transcript, and notes the
 * ones no mock matches. Nothing ever connects anywhere.
 */
export class HttpMocks {
  readonly dispatcher: Dispatcher;
  private mocks: readonly HttpMock[] = [];
  /** How many requests each mock has answered in the running test. */
  private readonly answered = new Map<HttpMock, number>();
  readonly unmatched: UnmatchedRequest[] = [];

  constructor(private readonly transcript: () => Transcript) {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get(() => true)
      .intercept({ path: () => true, method: () => true })
      .reply((opts) => this.answer(opts))
      .persist();
    this.dispatcher = agent;
  }

  /** The mocks of the test about to run (its own first, then its file's). */
  use(mocks: readonly HttpMock[]): void {
    this.mocks = mocks;
    this.unmatched.length = 0;
    this.answered.clear();
  }

  private answer(opts: { origin?: unknown; path: string; method: string; body?: unknown; headers?: unknown }) {
    const origin = opts.origin instanceof URL ? opts.origin.origin : typeof opts.origin === 'string' ? opts.origin : '';
    const url = `${origin.replace(/\/$/, '')}${opts.path}`;
    const method = opts.method.toUpperCase();
    this.transcript().add({ kind: 'request', method, url, headers: headerRecord(opts.headers), body: bodyText(opts.body) });
    const mock = this.mocks.find((m) => (m.method === undefined || m.method.toUpperCase() === method) && urlMatches(m.url, url));
    if (!mock) {
      this.unmatched.push({ method, url });
      return { statusCode: UNMATCHED_STATUS, data: 'No mock in the flow test matches this request', responseOptions: { headers: { 'content-type': 'text/plain' } } };
    }
    const answers: readonly MockAnswer[] = Array.isArray(mock.respond) ? mock.respond : [mock.respond as MockAnswer];
    const count = this.answered.get(mock) ?? 0;
    this.answered.set(mock, count + 1);
    const respond = answers[Math.min(count, answers.length - 1)]!;
    const json = respond.json !== undefined;
    const data = json ? JSON.stringify(respond.json) : (respond.body ?? '');
    const headers = { 'content-type': json ? 'application/json' : 'text/plain', ...(respond.headers ?? {}) };
    return { statusCode: respond.status ?? 200, data, responseOptions: { headers } };
  }
}

/** Glob match: `*` is any run of characters; without `?` in the pattern the query is ignored. */
export function urlMatches(pattern: string, url: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(url) || (!pattern.includes('?') && regex.test(url.split('?')[0]!));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  // A stream or iterable body: the engine never sends one (its bodies are text).
  return '';
}
