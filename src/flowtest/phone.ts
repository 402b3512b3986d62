import { XMLParser } from 'fast-xml-parser';
import type { VoiceQuery, VoiceService } from '../services/voice';
import { newSid } from '../sids';
import type { Transcript } from './capture';
import { FlowTestFailure } from './failure';

/** One TwiML element as the phone reads it. */
interface Verb {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly Verb[];
}

/** A verb whose result Twilio reports to its `action` URL: the call waits on it. */
interface PendingAction {
  readonly verb: string;
  readonly action: string | undefined;
  /** Gather: seconds of silence before Twilio gives up on input. */
  readonly timeoutSeconds?: number;
  readonly actionOnEmptyResult?: boolean;
  readonly finishOnKey?: string;
  /** Gather: virtual seconds of silence so far (separate waits add up). */
  silentSeconds?: number;
  /** The verbs after this one: Twilio goes on with them when a Gather gets no input and has no action to post. */
  readonly rest: readonly Verb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true });

/** How many redirects in a row the phone follows before it calls the flow stuck (Twilio's own cap is similar). */
const MAX_REDIRECTS = 100;
/** Verbs that start something beside the call and need no answer. */
const SIDE_VERBS = new Set(['Start', 'Stop', 'Pause', 'Refer']);
/** Verbs whose element holds the address dialled. */
const DIAL_NOUNS = new Set(['Number', 'Client', 'Sip', 'Queue', 'Conference', 'Application']);

/**
 * The caller's phone, standing in for Twilio: it sends the call's webhooks to the same voice
 * service the flow webhook uses, reads the TwiML answers as Twilio would (what the caller hears
 * goes into the transcript), follows redirects, and posts a verb's action when the test presses
 * keys, speaks or reports a callback. When the document runs out, or says Hangup, the call ends
 * and the number's status callback says so.
 */
export class Phone {
  readonly callSid = newSid('CA');
  private pending: PendingAction | undefined;
  private ended = false;
  /** The execution's workflow, as the action URLs name it. */
  workflowId: string | undefined;

  constructor(
    private readonly voice: VoiceService,
    private readonly transcript: () => Transcript,
    private readonly flowSid: string,
    private readonly call: { readonly from: string; readonly to: string; readonly accountSid: string },
  ) {}

  get waitingOn(): string | undefined {
    return this.ended ? undefined : this.pending?.verb;
  }

  async dial(): Promise<void> {
    await this.answer(await this.webhook({}, { CallStatus: 'ringing' }));
  }

  async press(keys: string): Promise<void> {
    const pending = this.expectPending('press', ['Gather']);
    // Twilio stops at the finish key and leaves it out of Digits (`#` unless the Gather says otherwise).
    const finish = pending.finishOnKey ?? '#';
    const at = finish === '' ? -1 : keys.indexOf(finish);
    await this.post(pending, { Digits: at < 0 ? keys : keys.slice(0, at) });
  }

  async speak(text: string): Promise<void> {
    const pending = this.expectPending('speak', ['Gather']);
    await this.post(pending, { SpeechResult: text, Confidence: '0.92' });
  }

  async callback(params: Readonly<Record<string, string>>): Promise<void> {
    const pending = this.expectPending('callback', []);
    await this.post(pending, params);
  }

  async hangup(): Promise<void> {
    if (this.ended) throw new FlowTestFailure('hangup: the call has already ended');
    this.transcript().add({ kind: 'contact', text: 'hangs up' });
    await this.end('completed');
  }

  /** Virtual time passed: a Gather whose timeout ran out (silence adds up over waits) gives up as Twilio does. */
  async waited(seconds: number): Promise<void> {
    const pending = this.pending;
    if (this.ended || pending?.verb !== 'Gather') return;
    pending.silentSeconds = (pending.silentSeconds ?? 0) + seconds;
    if ((pending.timeoutSeconds ?? 5) > pending.silentSeconds) return;
    this.pending = undefined;
    if (pending.actionOnEmptyResult && pending.action) await this.answer(await this.webhookAt(pending.action, {}));
    else await this.play(pending.rest, 0);
  }

  private expectPending(step: string, verbs: readonly string[]): PendingAction & { action: string } {
    const pending = this.pending;
    if (this.ended) throw new FlowTestFailure(`${step}: the call has ended`);
    if (!pending || (verbs.length > 0 && !verbs.includes(pending.verb))) {
      throw new FlowTestFailure(`${step}: the call is not waiting for ${verbs.length ? verbs.join(' or ') : 'a callback'} (${pending ? `it is in <${pending.verb}>` : 'no TwiML verb waits for input'})`);
    }
    if (!pending.action) throw new FlowTestFailure(`${step}: <${pending.verb}> has no action URL to report to`);
    return pending as PendingAction & { action: string };
  }

  private async post(pending: PendingAction & { action: string }, params: Record<string, string>): Promise<void> {
    this.pending = undefined;
    await this.answer(await this.webhookAt(pending.action, params));
  }

  private webhookAt(url: string, params: Record<string, string>): Promise<string> {
    const parsed = new URL(url);
    const query: Record<string, string> = {};
    for (const [key, value] of parsed.searchParams) query[key] = value;
    if (query.WorkflowId) this.workflowId = query.WorkflowId;
    return this.webhook(query, { CallStatus: 'in-progress', ...params });
  }

  private async webhook(query: VoiceQuery, params: Record<string, string>): Promise<string> {
    const result = await this.voice.handle(this.flowSid, query, {
      AccountSid: this.call.accountSid,
      CallSid: this.callSid,
      From: this.call.from,
      To: this.call.to,
      Caller: this.call.from,
      Called: this.call.to,
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      ...params,
    });
    if ('unknownFlow' in result) throw new FlowTestFailure(`the flow ${this.flowSid} is unknown to the voice webhook`);
    return result.twiml;
  }

  private async answer(twiml: string): Promise<void> {
    await this.play(parseTwiml(twiml), 0);
  }

  private async play(verbs: readonly Verb[], redirects: number): Promise<void> {
    for (let i = 0; i < verbs.length; i++) {
      const verb = verbs[i]!;
      const rest = verbs.slice(i + 1);
      switch (verb.name) {
        case 'Say':
        case 'Play':
          this.hear(verb);
          break;
        case 'Gather':
          for (const child of verb.children) this.hear(child);
          this.pending = {
            verb: 'Gather',
            action: verb.attributes.action,
            timeoutSeconds: Number(verb.attributes.timeout ?? 5),
            actionOnEmptyResult: verb.attributes.actionOnEmptyResult === 'true',
            ...(verb.attributes.finishOnKey !== undefined ? { finishOnKey: verb.attributes.finishOnKey } : {}),
            rest,
          };
          return;
        case 'Redirect':
          if (redirects >= MAX_REDIRECTS) throw new FlowTestFailure(`the call was redirected ${MAX_REDIRECTS} times in a row without waiting for the caller`);
          return this.play(parseTwiml(await this.webhookAt(verb.text, {})), redirects + 1);
        case 'Hangup':
        case 'Reject':
          return this.end(verb.name === 'Reject' ? 'busy' : 'completed');
        case 'Dial':
          for (const address of dialled(verb)) this.transcript().add({ kind: 'dial', number: address });
          this.pending = { verb: 'Dial', action: verb.attributes.action, rest };
          return;
        default:
          if (SIDE_VERBS.has(verb.name)) break;
          // Record, Enqueue, Pay, Connect, …: the call stays in the verb until Twilio reports its result.
          this.transcript().add({ kind: 'twilio', what: `<${verb.name}>` });
          this.pending = { verb: verb.name, action: verb.attributes.action, rest };
          return;
      }
    }
    // Nothing more to do: Twilio hangs up when the document runs out.
    await this.end('completed');
  }

  private hear(verb: Verb): void {
    if (verb.name === 'Say') this.transcript().add({ kind: 'say', text: verb.text });
    if (verb.name === 'Play') this.transcript().add({ kind: 'play', url: verb.text });
  }

  private async end(status: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.pending = undefined;
    // The number's status callback points at the flow webhook, as Studio sets a number up.
    await this.webhook({}, { CallStatus: status });
  }
}

function parseTwiml(xml: string): Verb[] {
  const document = parser.parse(xml) as unknown[];
  const response = document.map(toVerb).find((v) => v?.name === 'Response');
  return response ? [...response.children] : [];
}

function toVerb(node: unknown): Verb | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const entries = Object.entries(node as Record<string, unknown>);
  const [name, content] = entries.find(([key]) => key !== ':@') ?? [];
  if (!name || name === '#text' || name.startsWith('?')) return undefined;
  const attributes = ((node as Record<string, unknown>)[':@'] ?? {}) as Record<string, string>;
  const items = Array.isArray(content) ? content : [];
  const text = items.map((c) => (c && typeof c === 'object' && '#text' in c ? String((c as { '#text': unknown })['#text']) : '')).join('');
  const children = items.map(toVerb).filter((v): v is Verb => v !== undefined);
  return { name, attributes, text, children };
}

function dialled(verb: Verb): string[] {
  const nouns = verb.children.filter((c) => DIAL_NOUNS.has(c.name)).map((c) => c.text);
  return nouns.length > 0 ? nouns : [verb.text];
}
