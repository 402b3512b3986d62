import { WorkflowNotFoundError } from '@temporalio/client';
import type { JsonObject } from '../engine/json';
import type { ExecutionState } from '../engine/state';
import { DEFAULT_FLOWTEST_LIMITS, type FlowTestLimits } from '../limits/flowtests';
import { allowsConcurrentCalls, type FlowDefinition } from '../flow/definition';
import { restExecutionTrigger } from '../services/executions';
import { executionWorkflowId } from '../services/execution-workflow-ids';
import { newSid } from '../sids';
import { executionSnapshot } from '../../workflows/messages';
import { Transcript, type TranscriptItem } from './capture';
import { pathOf, type Walk } from './coverage';
import { checkExpectation } from './expect';
import { FlowTestFailure } from './failure';
import { Phone } from './phone';
import { FLOWTEST_ACCOUNT, type Rig } from './rig';
import type { FlowTestCase, FlowTestFile, FlowTestStep, FlowTestTrigger } from './schema';
import { settledState } from './settle';

/** The numbers a trigger uses when the test names none. */
export const DEFAULT_FROM = '+15550001111';
export const DEFAULT_TO = '+15559990000';

/** The bounds of a run (see FlowTestLimits): a test that never settles or never ends stops at one of these, named. */
export type RunLimits = Pick<FlowTestLimits, 'stepTimeoutMs' | 'testTimeoutMs' | 'maxWaitSeconds'>;

export const DEFAULT_RUN_LIMITS: RunLimits = DEFAULT_FLOWTEST_LIMITS;

/** A test file with its flow, read and checked. */
export interface Suite {
  readonly file: string;
  readonly flowFile: string;
  readonly flowText: string;
  readonly definition: FlowDefinition;
  readonly spec: FlowTestFile;
  /** The flows its Run Subflow widgets name, by SID: their file, Flow JSON text and definition. */
  readonly subflows?: readonly { readonly sid: string; readonly file: string; readonly text: string; readonly definition: FlowDefinition }[];
}

export interface StepFailure {
  /** 0-based index into the test's steps; -1 for the trigger, `steps.length` for the checks after the last step. */
  readonly step: number;
  readonly description: string;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
}

export interface TestOutcome {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly durationMs: number;
  readonly failure?: StepFailure;
  /** Widgets the execution went through. */
  readonly path: readonly string[];
  readonly walk: Walk;
  /** What the subflows it ran went through, by Flow SID (subflows that finished). */
  readonly subflowWalks: readonly { readonly flowSid: string; readonly walk: Walk }[];
  readonly transcript: readonly TranscriptItem[];
}

/** Runs one test on the rig: a fresh published flow, its own transcript and mocks. */
export async function runTest(rig: Rig, suite: Suite, test: FlowTestCase, limits: RunLimits = DEFAULT_RUN_LIMITS): Promise<TestOutcome> {
  const started = Date.now();
  const flow = await rig.flows.create(FLOWTEST_ACCOUNT.accountSid, { friendlyName: `${suite.file}: ${test.name}`, status: 'published', definition: suite.flowText });
  await publishSubflows(rig, suite);
  rig.transcript = new Transcript();
  rig.mocks.use([...(test.mocks ?? []), ...(suite.spec.mocks ?? [])]);
  const session = new Session(rig, flow.sid, suite.definition, limits);
  const deadline = started + limits.testTimeoutMs;
  let failure: StepFailure | undefined;
  let index = -1;
  try {
    await session.bounded(deadline, 'the trigger', () => session.trigger(test.trigger));
    for (index = 0; index < test.steps.length; index++) {
      const step = test.steps[index]!;
      await session.bounded(deadline, describeStep(step), () => session.step(step));
    }
    // Whatever the last step set off must finish, and may not ask the network.
    await session.bounded(deadline, 'the end of the test', () => session.settle());
  } catch (err) {
    const description = index < 0 ? describeTrigger(test.trigger) : index < test.steps.length ? describeStep(test.steps[index]!) : 'after the last step';
    const f = err instanceof FlowTestFailure ? err : new FlowTestFailure(`the runner could not go on: ${(err as Error).message}`);
    failure = { step: index, description, message: f.message, ...(f.expected !== undefined ? { expected: f.expected } : {}), ...(f.actual !== undefined ? { actual: f.actual } : {}) };
  }
  const state = await session.finish();
  const walk: Walk = state ? { steps: state.steps, ...(state.status === 'active' && state.current ? { current: state.current } : {}) } : { steps: [] };
  return {
    file: suite.file,
    name: test.name,
    passed: failure === undefined,
    durationMs: Date.now() - started,
    ...(failure ? { failure } : {}),
    path: state ? pathOf(state) : [],
    walk,
    subflowWalks: (state?.steps ?? []).flatMap((step) => (step.subflow ? [{ flowSid: step.subflow.flowSid, walk: { steps: step.subflow.steps } }] : [])),
    transcript: [...rig.transcript.items],
  };
}

/**
 * The subflows a suite names, published under their own SIDs (as the parent flow names them):
 * each test's run of Run Subflow loads the suite's version, whatever an earlier suite published.
 */
async function publishSubflows(rig: Rig, suite: Suite): Promise<void> {
  const account = FLOWTEST_ACCOUNT.accountSid;
  for (const { sid, text } of suite.subflows ?? []) {
    const save = { friendlyName: `subflow ${sid} of ${suite.file}`, status: 'published' as const, definition: text };
    if (await rig.store.get(account, sid)) await rig.flows.update(account, sid, save);
    else await rig.flows.create(account, { ...save, sid });
  }
}

/** One test's execution and the contact's side of it. */
class Session {
  private workflowId: string | undefined;
  private phone: Phone | undefined;
  /** `from`: the contact's address; `to`: the flow's own number, as an inbound message has them. */
  private contact = { from: DEFAULT_FROM, to: DEFAULT_TO };
  private conversationSid: string | undefined;

  constructor(
    private readonly rig: Rig,
    private readonly flowSid: string,
    private readonly definition: FlowDefinition,
    private readonly limits: RunLimits,
  ) {}

  /** Runs `work` within the step and test limits; a breach names the limit. */
  async bounded(testDeadline: number, what: string, work: () => Promise<void>): Promise<void> {
    const testLeft = testDeadline - Date.now();
    const stepFirst = this.limits.stepTimeoutMs <= testLeft;
    const ms = Math.max(0, Math.min(this.limits.stepTimeoutMs, testLeft));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new FlowTestFailure(
              stepFirst
                ? `${what} did not finish within ${this.limits.stepTimeoutMs} ms (the step timeout, --step-timeout): the flow kept working`
                : `the test did not finish within ${this.limits.testTimeoutMs} ms (the test timeout, --test-timeout)`,
            ),
          ),
        ms,
      );
    });
    try {
      await Promise.race([work(), limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  async trigger(trigger: FlowTestTrigger): Promise<void> {
    const { rig, flowSid } = this;
    const account = FLOWTEST_ACCOUNT.accountSid;
    if ('message' in trigger) {
      this.contact = { from: trigger.from ?? DEFAULT_FROM, to: trigger.to ?? DEFAULT_TO };
      await this.sendMessage(trigger.message, trigger.media ?? []);
    } else if ('conversation' in trigger) {
      const c = trigger.conversation;
      this.conversationSid = c.conversation ?? newSid('CH');
      this.contact = { from: c.author ?? DEFAULT_FROM, to: DEFAULT_TO };
      await this.sendMessage(c.body, []);
    } else if ('call' in trigger) {
      this.contact = { from: trigger.call.from ?? DEFAULT_FROM, to: trigger.call.to ?? DEFAULT_TO };
      this.phone = new Phone(rig.voice, () => rig.transcript, flowSid, { ...this.contact, accountSid: account });
      const key = allowsConcurrentCalls(this.definition) ? this.phone.callSid : this.contact.from;
      this.workflowId = executionWorkflowId(flowSid, key);
      rig.transcript.add({ kind: 'contact', text: `calls from ${this.contact.from}` });
      await this.phone.dial();
    } else {
      const r = trigger.request;
      // A REST execution reaches out: `to` is the contact, `from` the flow's number; replies come from the contact.
      this.contact = { from: r.to ?? DEFAULT_FROM, to: r.from ?? DEFAULT_TO };
      rig.transcript.add({ kind: 'contact', text: `REST execution to ${this.contact.from} with ${JSON.stringify(r.parameters ?? {})}` });
      const record = await rig.executions.commands.start({
        accountSid: account,
        flowSid,
        revision: 1,
        definition: this.definition,
        // YAML's core schema reads only JSON's kinds of values (no dates, no binary).
        trigger: restExecutionTrigger(this.contact.from, this.contact.to, (r.parameters ?? {}) as JsonObject),
        initiatedBy: account,
      });
      this.workflowId = record.workflowId;
    }
  }

  async step(step: FlowTestStep): Promise<void> {
    if (step.expect) {
      await this.settle();
      checkExpectation(step.expect, this.rig.transcript, await this.snapshot());
    } else if (step.send !== undefined) {
      await this.settle();
      const message = typeof step.send === 'string' ? { body: step.send, media: [] } : { body: step.send.body, media: step.send.media ?? [] };
      await this.sendMessage(message.body, message.media);
    } else if (step.press !== undefined) {
      await this.settle();
      this.rig.transcript.add({ kind: 'contact', text: `presses ${String(step.press)}` });
      await this.call('press').press(String(step.press));
    } else if (step.speak !== undefined) {
      await this.settle();
      this.rig.transcript.add({ kind: 'contact', text: `says "${step.speak}"` });
      await this.call('speak').speak(step.speak);
    } else if (step.hangup) {
      await this.settle();
      await this.call('hangup').hangup();
    } else if (step.callback) {
      await this.settle();
      this.rig.transcript.add({ kind: 'contact', text: `Twilio reports ${JSON.stringify(step.callback)}` });
      await this.call('callback').callback(step.callback);
    } else if (step.wait !== undefined) {
      await this.wait(durationSeconds(step.wait));
    }
  }

  private async wait(seconds: number): Promise<void> {
    if (seconds > this.limits.maxWaitSeconds) throw new FlowTestFailure(`wait: ${seconds} s is over the ${this.limits.maxWaitSeconds} s limit (--max-wait)`);
    await this.settle();
    this.rig.transcript.add({ kind: 'contact', text: `waits ${seconds} s` });
    await this.rig.env.sleep(seconds * 1000);
    await this.settle();
    await this.phone?.waited(seconds);
  }

  private call(step: string): Phone {
    if (!this.phone) throw new FlowTestFailure(`${step}: this test has no call (its trigger is not a call)`);
    return this.phone;
  }

  private async sendMessage(body: string, media: readonly string[]): Promise<void> {
    const { rig, flowSid } = this;
    const conversation = this.conversationSid;
    rig.transcript.add({ kind: 'contact', text: `sends "${body}"${media.length ? ` with ${media.join(', ')}` : ''}` });
    const mediaParams = Object.fromEntries(media.flatMap((url, i) => [[`MediaUrl${i}`, url], [`MediaContentType${i}`, 'image/jpeg']]));
    const sid = newSid(conversation ? 'IM' : 'SM');
    const params: Record<string, string> = conversation
      ? { ConversationSid: conversation, Author: this.contact.from, Body: body, MessageSid: sid, Source: 'SMS', EventType: 'onMessageAdded', AccountSid: FLOWTEST_ACCOUNT.accountSid }
      : { MessageSid: sid, SmsMessageSid: sid, SmsSid: sid, AccountSid: FLOWTEST_ACCOUNT.accountSid, From: this.contact.from, To: this.contact.to, Body: body, NumMedia: String(media.length), NumSegments: '1', ...mediaParams };
    const outcome = await rig.messaging.receive(FLOWTEST_ACCOUNT.accountSid, flowSid, params, conversation ? 'conversation' : 'message');
    if (outcome !== 'delivered') throw new FlowTestFailure(`the message was not taken by the flow webhook (${outcome})`);
    this.workflowId = executionWorkflowId(flowSid, conversation ?? this.contact.from);
  }

  /** Waits until the execution can only move on by the contact, a timer, or a call webhook. */
  async settle(): Promise<void> {
    const workflowId = this.phone?.workflowId ?? this.workflowId;
    if (workflowId) {
      for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
        try {
          if ((await settledState(this.rig.client, 'default', workflowId)) !== 'busy') break;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError) && (err as { code?: number }).code !== 5) throw err;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    const unmatched = this.rig.mocks.unmatched;
    if (unmatched.length > 0) {
      const first = unmatched[0]!;
      throw new FlowTestFailure(`the flow made an HTTP request no mock matches (tests never reach the network): ${first.method} ${first.url}`, 'a mock for this URL under mocks:', `${first.method} ${first.url}`);
    }
  }

  async snapshot(): Promise<ExecutionState | undefined> {
    const workflowId = this.phone?.workflowId ?? this.workflowId;
    if (!workflowId) return undefined;
    try {
      return await this.rig.client.workflow.getHandle(workflowId).query(executionSnapshot);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** The execution's final state; one the test left waiting is terminated (with its subflows). */
  async finish(): Promise<ExecutionState | undefined> {
    const state = await this.snapshot().catch(() => undefined);
    const workflowId = this.phone?.workflowId ?? this.workflowId;
    if (workflowId) {
      await this.rig.client.workflow
        .getHandle(workflowId)
        .terminate('The flow test is over')
        .catch(() => undefined);
    }
    return state;
  }
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

export function durationSeconds(duration: number | string): number {
  if (typeof duration === 'number') return duration;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new FlowTestFailure(`wait: ${duration} is not a duration`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

export function describeStep(step: FlowTestStep): string {
  const [key, value] = Object.entries(step)[0] ?? ['?', ''];
  return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
}

function describeTrigger(trigger: FlowTestTrigger): string {
  return `trigger: ${JSON.stringify(trigger)}`;
}
