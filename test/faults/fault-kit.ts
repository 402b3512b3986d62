import fs from 'node:fs';
import path from 'node:path';
import type { FlowState } from '../../src/flow/definition';

/** Send & Wait For Reply with a long timeout: the execution parks on it. */
export const ask = (name: string, body: string, next?: string): FlowState => ({
  name,
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body, timeout: '3600' },
  transitions: [next ? { event: 'incomingMessage', next } : { event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});

export const say = (name: string, body: string, next?: string): FlowState => ({
  name,
  type: 'send-message',
  properties: { body },
  transitions: [next ? { event: 'sent', next } : { event: 'sent' }, { event: 'failed' }],
});

/** A request's status, body, `Retry-After` and how long it took (a figure for RELIABILITY.md, never asserted). */
export async function timed(request: () => Promise<Response>): Promise<{ status: number; body: unknown; ms: number; retryAfter: string | null }> {
  const started = performance.now();
  const res = await request();
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // TwiML or empty
  }
  return { status: res.status, body, ms: Math.round(performance.now() - started), retryAfter: res.headers.get('retry-after') };
}

/** Appends a fault row's figures to FAULT_FIGURES (a JSON-lines file) when set, and prints them. */
export function recordFigures(row: string, figures: Record<string, number | string>): void {
  const line = JSON.stringify({ row, ...figures, at: new Date().toISOString() });
  process.stdout.write(`fault figures: ${line}\n`);
  const file = process.env.FAULT_FIGURES;
  if (file) fs.appendFileSync(path.resolve(file), `${line}\n`);
}
