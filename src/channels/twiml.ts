import twilio from 'twilio';
import { CALLBACK_URL, type TwimlNode } from '../engine/voice';

type Builder = Record<string, unknown>;

/**
 * Renders TwiML described as data with the `twilio` library's builder, so every answer is
 * TwiML the library would produce. `CALLBACK_URL` becomes `callback`.
 */
export function renderTwiml(nodes: readonly TwimlNode[], callback: string): string {
  const response = new twilio.twiml.VoiceResponse();
  for (const node of nodes) add(response, node, callback);
  return response.toString();
}

function add(parent: Builder, node: TwimlNode, callback: string): void {
  const name = node.verb.charAt(0).toLowerCase() + node.verb.slice(1);
  const method = parent[name];
  if (typeof method !== 'function') throw new Error(`TwiML ${node.verb} cannot go in ${String(parent.constructor?.name ?? 'this element')}`);
  const attributes = Object.fromEntries(Object.entries(node.attributes ?? {}).map(([key, value]) => [key, value === CALLBACK_URL ? callback : value]));
  const text = node.text === CALLBACK_URL ? callback : node.text;
  const child = (method as (this: Builder, attributes: unknown, text?: string) => Builder).call(parent, attributes, text);
  for (const grandchild of node.children ?? []) add(child, grandchild, callback);
}

/** While the execution is still working: hold the caller a moment and ask again. */
export function pollTwiml(url: string, pauseSeconds = 1): string {
  const response = new twilio.twiml.VoiceResponse();
  response.pause({ length: pauseSeconds });
  response.redirect({ method: 'POST' }, url);
  return response.toString();
}

/** When nothing can answer the call: say so and hang up, never leave the caller in silence. */
export function apologyTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('We are sorry, this call cannot be completed right now. Please try again later.');
  response.hangup();
  return response.toString();
}
