import { isDeepStrictEqual } from 'node:util';
import type { ExecutionState } from '../engine/state';
import type { Outbound, Transcript } from './capture';
import { FlowTestFailure } from './failure';
import { compileMatcher } from './parse';
import type { FlowTestExpectation } from './schema';
import { pathOf } from './coverage';

/** Kinds `nothing` looks at: everything the flow sends out. */
const OUTBOUND: readonly Outbound['kind'][] = ['message', 'say', 'play', 'dial', 'call', 'request'];

/**
 * Checks one `expect` against the settled execution. Transcript keys read the next unread item
 * of their kind (so a test states the conversation in order); state keys read the execution.
 * The first mismatch throws, with expected against actual.
 */
export function checkExpectation(expect: FlowTestExpectation, transcript: Transcript, state: ExecutionState | undefined): void {
  let message: Extract<Outbound, { kind: 'message' }> | undefined;
  if (expect.message !== undefined) {
    message = transcript.take(['message']);
    compare('message', expect.message, message?.body, waitingNote(state), transcript);
  }
  if (expect.media !== undefined) checkMedia(expect.media, expect.message !== undefined ? message : transcript.take(['message']));
  if (expect.say !== undefined) {
    const item = transcript.take(['say', 'play']);
    compare('say', expect.say, item ? (item.kind === 'say' ? item.text : item.url) : undefined, waitingNote(state), transcript);
  }
  if (expect.play !== undefined) compare('play', expect.play, transcript.take(['play'])?.url, waitingNote(state), transcript);
  if (expect.dial !== undefined) compare('dial', expect.dial, transcript.take(['dial'])?.number, waitingNote(state), transcript);
  if (expect.call !== undefined) compare('call', expect.call, transcript.take(['call'])?.to, waitingNote(state), transcript);
  if (expect.request !== undefined) checkRequest(expect.request, transcript.take(['request']));
  if (expect.nothing) {
    const left = transcript.unread(OUTBOUND);
    if (left.length > 0) throw new FlowTestFailure('expected nothing more from the flow', 'nothing', left.map(describeOutbound).join('\n'));
  }
  if (expect.variables !== undefined || expect.widget !== undefined || expect.ended !== undefined || expect.reason !== undefined || expect.path !== undefined) {
    if (!state) throw new FlowTestFailure('the execution cannot be read: it never started');
    checkState(expect, state);
  }
}

function checkState(expect: FlowTestExpectation, state: ExecutionState): void {
  if (expect.ended !== undefined && (state.status === 'ended') !== expect.ended) {
    throw new FlowTestFailure(expect.ended ? 'expected the execution to have ended' : 'expected the execution to be active', expect.ended ? 'ended' : 'active', statusLine(state));
  }
  if (expect.widget !== undefined && (state.status !== 'active' || state.current !== expect.widget)) {
    throw new FlowTestFailure(`expected the execution to wait at ${expect.widget}`, expect.widget, statusLine(state));
  }
  if (expect.reason !== undefined) {
    const reasons = state.failure ? [state.failure.code, state.failure.message] : state.status === 'ended' ? ['completed'] : [];
    if (!reasons.some((r) => matches(expect.reason!, r))) throw new FlowTestFailure('the execution ended for another reason', expect.reason, reasons.join(': ') || statusLine(state));
  }
  if (expect.path !== undefined) {
    const path = pathOf(state);
    if (!isDeepStrictEqual(path, expect.path)) throw new FlowTestFailure('the execution took another path', expect.path.join(' → '), path.join(' → '));
  }
  if (expect.variables !== undefined) {
    const actual = state.context.flow.variables;
    for (const [name, want] of Object.entries(expect.variables)) {
      const have = actual[name];
      const ok = typeof want === 'string' && typeof have === 'string' ? matches(want, have) : isDeepStrictEqual(have, want);
      if (!ok) throw new FlowTestFailure(`flow variable ${name} differs`, JSON.stringify(want), have === undefined ? '(not set)' : JSON.stringify(have));
    }
  }
}

function checkMedia(want: readonly string[], message: Extract<Outbound, { kind: 'message' }> | undefined): void {
  if (!message) throw new FlowTestFailure('expected a message with media, but there was none', want.join(', '), '(no message)');
  const ok = message.media.length === want.length && want.every((m, i) => matches(m, message.media[i]!));
  if (!ok) throw new FlowTestFailure('the message carries other media', want.join(', ') || '(none)', message.media.join(', ') || '(none)');
}

function checkRequest(expect: NonNullable<FlowTestExpectation['request']>, item: Extract<Outbound, { kind: 'request' }> | undefined): void {
  if (!item) throw new FlowTestFailure('expected an HTTP request, but the flow made none', JSON.stringify(expect), '(no request)');
  const actual = `${item.method} ${item.url}\n${item.body}`;
  if (expect.method !== undefined && expect.method.toUpperCase() !== item.method) throw new FlowTestFailure('the HTTP request used another method', expect.method.toUpperCase(), actual);
  if (expect.url !== undefined && !matches(expect.url, item.url)) throw new FlowTestFailure('the HTTP request went to another URL', expect.url, actual);
  if (expect.body !== undefined && !matches(expect.body, item.body)) throw new FlowTestFailure('the HTTP request sent another body', expect.body, actual);
  for (const [name, want] of Object.entries(expect.headers ?? {})) {
    const have = item.headers[name.toLowerCase()];
    if (have === undefined || !matches(want, have)) throw new FlowTestFailure(`the HTTP request's ${name} header differs`, want, have ?? '(absent)');
  }
  if (expect.json !== undefined) {
    let body: unknown;
    try {
      body = JSON.parse(item.body);
    } catch {
      throw new FlowTestFailure('the HTTP request body is not JSON', JSON.stringify(expect.json), item.body);
    }
    if (!containsSubset(body, expect.json)) throw new FlowTestFailure('the HTTP request body differs', JSON.stringify(expect.json), item.body);
  }
}

function compare(what: string, matcher: string, actual: string | undefined, note: string, transcript: Transcript): void {
  if (actual === undefined) {
    // Say what the flow did instead: that is usually the divergence.
    const instead = transcript.unread(OUTBOUND).map(describeOutbound);
    throw new FlowTestFailure(`expected a ${what}, but there was none${note}`, matcher, instead.length ? `(no ${what}; instead: ${instead.join(' | ')})` : '(nothing)');
  }
  if (!matches(matcher, actual)) throw new FlowTestFailure(`the ${what} differs`, matcher, actual);
}

/** Exact text, or a regular expression between slashes. */
export function matches(matcher: string, actual: string): boolean {
  const regex = compileMatcher(matcher);
  return regex ? regex.test(actual) : matcher === actual;
}

/** Objects: every key of `want` is in `have` with a matching value; anything else: equal. */
function containsSubset(have: unknown, want: unknown): boolean {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    if (!have || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want).every(([k, v]) => containsSubset((have as Record<string, unknown>)[k], v));
  }
  return isDeepStrictEqual(have, want);
}

function waitingNote(state: ExecutionState | undefined): string {
  if (!state) return '';
  return state.status === 'ended' ? ' (the execution has ended)' : ` (the execution waits at ${state.current ?? '?'})`;
}

function statusLine(state: ExecutionState): string {
  if (state.status === 'active') return `waiting at ${state.current ?? '?'}`;
  return state.failure ? `ended: ${state.failure.message} (${state.failure.code})` : 'ended';
}

export function describeOutbound(item: Outbound): string {
  switch (item.kind) {
    case 'message':
      return `message to ${item.to}: ${item.body}`;
    case 'say':
      return `says: ${item.text}`;
    case 'play':
      return `plays: ${item.url}`;
    case 'dial':
      return `dials ${item.number}`;
    case 'call':
      return `calls ${item.to}`;
    case 'request':
      return `${item.method} ${item.url}`;
  }
}
