import type { HttpRequest, HttpResult } from '../engine/effects';
import { parseJsonWithin, type JsonObject, type JsonValue } from '../engine/json';
import type { EngineLimits } from '../engine/limits';
import type { WidgetOutcome } from '../engine/widget';

/**
 * What Make HTTP Request and Run Function share: how a call is bounded and how its result
 * becomes the widget's event and outputs (Studio: 2xx is success; `parsed` only for JSON;
 * 4xx/5xx fail but keep status and body; a call that got no response fails with no outputs).
 */
export function bounded(limits: EngineLimits): Pick<HttpRequest, 'timeoutMs' | 'maxResponseBytes' | 'maxRedirects'> {
  return { timeoutMs: limits.httpTimeoutMs, maxResponseBytes: limits.httpMaxResponseBytes, maxRedirects: limits.httpMaxRedirects };
}

export function httpOutcome(result: HttpResult, success: string, failure: string, limits: Pick<EngineLimits, 'maxJsonDepth'>): WidgetOutcome {
  if (!result.ok) return { event: failure, outputs: {}, error: { code: result.code, message: result.message } };
  const outputs: JsonObject = { status_code: result.status, content_type: result.contentType, body: result.body };
  const ok = result.status >= 200 && result.status < 300;
  if (isJson(result.contentType) && result.body.trim() !== '') {
    const parsed = parseJsonWithin(result.body, limits.maxJsonDepth);
    // The body stays as text (a string is flat); only `parsed` would nest too deep to keep.
    if (!parsed.ok && parsed.reason === 'depth') {
      return { event: failure, outputs, error: { code: 'http:json-too-deep', message: `The response is JSON, but ${parsed.message} (LIMIT_MAX_JSON_DEPTH)` } };
    }
    if (!parsed.ok) return { event: failure, outputs, error: { code: 'http:invalid-json', message: `The response is not valid JSON: ${parsed.message}` } };
    outputs.parsed = parsed.value;
  }
  return ok ? { event: success, outputs } : { event: failure, outputs, error: { code: 'http:status', message: `The response status is ${result.status}` } };
}

function isJson(contentType: string): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim());
}

/** An absolute http(s) URL, or undefined. */
export function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Form encoding of `[key, value]` pairs (values that are not text are sent as JSON). */
export function formEncode(pairs: ReadonlyArray<[string, JsonValue]>): string {
  const form = new URLSearchParams();
  for (const [key, value] of pairs) form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  return form.toString();
}
