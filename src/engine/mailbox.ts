import type { JsonObject } from './json';

/** An inbound event for a running execution: a message, or a conversation message. */
export interface InboundEvent {
  readonly kind: 'message' | 'conversation';
  /** The webhook's parameters, as Twilio sent them (PascalCase). */
  readonly params: JsonObject;
  readonly receivedAt: string;
}

/** A message no widget could take (Studio's warning 81002), kept for inspection. */
export interface IgnoredEvent {
  readonly messageSid: string | null;
  /** The widget the execution was on, or null when it had ended. */
  readonly widget: string | null;
  readonly receivedAt: string;
}

/**
 * The execution's inbound side: messages wait here for a widget that takes them (Send & Wait For
 * Reply); the others are recorded as ignored, as Studio ignores them. Plain data, carried
 * through continue-as-new.
 */
export interface Mailbox {
  pending: InboundEvent[];
  ignored: IgnoredEvent[];
  /** How many were ignored in all (the list keeps only the latest). */
  ignoredCount: number;
  /** Recent MessageSids: a retried webhook or the trigger's own signal counts once. */
  seen: string[];
  /** Delivery failures reported by status callbacks, by outbound message SID (only of messages it sent). */
  failedDeliveries: Record<string, JsonObject>;
  /** SIDs of the messages this execution sent (recent ones); absent in states carried from before it was kept. */
  sent?: string[];
  /**
   * Failures reported for SIDs not (yet) known as sent: a callback may overtake the send's own
   * completion. Claimed when the send completes; only the latest few are kept.
   */
  unclaimed?: Record<string, JsonObject>;
}

const SEEN_KEPT = 500;
const IGNORED_KEPT = 100;
const SENT_KEPT = 100;
const UNCLAIMED_KEPT = 10;

export function newMailbox(triggerMessageSid?: string): Mailbox {
  return { pending: [], ignored: [], ignoredCount: 0, seen: triggerMessageSid ? [triggerMessageSid] : [], failedDeliveries: {} };
}

function messageSidOf(event: InboundEvent): string | null {
  const sid = event.params.MessageSid ?? event.params.SmsMessageSid ?? event.params.SmsSid;
  return typeof sid === 'string' ? sid : null;
}

/** Takes in an event unless it was seen before; returns whether it is new. */
export function receive(mailbox: Mailbox, event: InboundEvent): boolean {
  const sid = messageSidOf(event);
  if (sid !== null) {
    if (mailbox.seen.includes(sid)) return false;
    mailbox.seen.push(sid);
    if (mailbox.seen.length > SEEN_KEPT) mailbox.seen.splice(0, mailbox.seen.length - SEEN_KEPT);
  }
  mailbox.pending.push(event);
  return true;
}

/** Records every pending event as ignored: no widget took it while `widget` ran. */
export function ignorePending(mailbox: Mailbox, widget: string | null): void {
  for (const event of mailbox.pending.splice(0)) {
    mailbox.ignored.push({ messageSid: messageSidOf(event), widget, receivedAt: event.receivedAt });
    mailbox.ignoredCount++;
  }
  if (mailbox.ignored.length > IGNORED_KEPT) mailbox.ignored.splice(0, mailbox.ignored.length - IGNORED_KEPT);
}

const FAILED_STATUSES = new Set(['failed', 'undelivered']);

/**
 * Records a status callback; only failures matter to a waiting widget, and only for a message
 * this execution sent: a callback naming another SID (forged, or meant for another execution)
 * can neither fail a wait nor grow the state beyond a few held for a send still completing.
 */
export function recordStatus(mailbox: Mailbox, status: JsonObject): void {
  const sid = status.MessageSid ?? status.SmsSid;
  const raw = status.MessageStatus ?? status.SmsStatus;
  const value = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (typeof sid !== 'string' || !FAILED_STATUSES.has(value)) return;
  const failure = { Status: value, ErrorCode: status.ErrorCode ?? null, ErrorMessage: status.ErrorMessage ?? null };
  if (mailbox.sent?.includes(sid)) {
    mailbox.failedDeliveries[sid] = failure;
    return;
  }
  const unclaimed = (mailbox.unclaimed ??= {});
  delete unclaimed[sid];
  unclaimed[sid] = failure;
  for (const old of Object.keys(unclaimed).slice(0, -UNCLAIMED_KEPT)) delete unclaimed[old];
}

/** Records a message this execution sent, and takes a failure reported for it before now. */
export function recordSent(mailbox: Mailbox, sid: string): void {
  const sent = (mailbox.sent ??= []);
  sent.push(sid);
  if (sent.length > SENT_KEPT) sent.splice(0, sent.length - SENT_KEPT);
  const early = mailbox.unclaimed?.[sid];
  if (early === undefined) return;
  delete mailbox.unclaimed![sid];
  mailbox.failedDeliveries[sid] = early;
}
