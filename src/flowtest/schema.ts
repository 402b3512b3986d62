import { z } from 'zod';

/**
 * The `*.flowtest.yaml` format: one source of truth. The parser validates with it, and
 * `schemas/flowtest.schema.json` (for editors) is generated from it by `npm run generate:schemas`.
 */

/** Exact text, or a regular expression between slashes (`/Hello .+/i`). */
export const Matcher = z.string().describe('Exact text, or a regular expression between slashes with optional flags: /Hello .+/i');

const Address = z.string().min(1).describe('A phone number, client: or whatsapp: address');

/** `2h`, `30s`, `7d`, `1500ms`, or a number of seconds. */
export const Duration = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration like 30s, 5m, 2h or 7d')])
  .describe('Virtual time: a number of seconds, or a number with ms, s, m, h or d');

const MessageTrigger = z.strictObject({
  message: z.string().describe('The first message from the contact'),
  from: Address.optional(),
  to: Address.optional(),
  media: z.array(z.string()).optional().describe('Media URLs attached to the message'),
});
const CallTrigger = z.strictObject({
  call: z.strictObject({ from: Address.optional(), to: Address.optional() }).describe('An incoming call'),
});
const RequestTrigger = z.strictObject({
  request: z
    .strictObject({
      parameters: z.record(z.string(), z.unknown()).optional().describe('The REST API Parameters: flow.data'),
      from: Address.optional(),
      to: Address.optional(),
    })
    .describe('A REST API execution (POST /v2/Flows/{FlowSid}/Executions)'),
});
const ConversationTrigger = z.strictObject({
  conversation: z
    .strictObject({ body: z.string(), author: z.string().min(1).optional(), conversation: z.string().min(1).optional().describe('The Conversation SID') })
    .describe('A message in a Conversation'),
});

export const Trigger = z.union([MessageTrigger, CallTrigger, RequestTrigger, ConversationTrigger]).describe('What starts the execution: message, call, request or conversation');

const RequestExpectation = z
  .strictObject({
    url: Matcher.optional(),
    method: z.string().optional(),
    body: Matcher.optional(),
    json: z.unknown().optional().describe('The request body as JSON: these keys, at least'),
    headers: z.record(z.string(), Matcher).optional(),
  })
  .describe('The next HTTP request the flow made (Make HTTP Request, Run Function)');

export const Expectation = z
  .strictObject({
    message: Matcher.optional().describe('The next message the flow sent'),
    media: z.array(Matcher).optional().describe("That message's media URLs (with `message`), or the next message's"),
    say: Matcher.optional().describe('The next thing the caller heard (Say text, or a Play URL)'),
    play: Matcher.optional().describe('The next Play URL the caller heard'),
    dial: Matcher.optional().describe('The next number (or client, SIP address) the flow dialled'),
    call: Matcher.optional().describe('The next outgoing call the flow placed (its To)'),
    request: RequestExpectation.optional(),
    nothing: z.literal(true).optional().describe('The flow sent nothing more: no message, speech, dial, call or request left unread'),
    variables: z.record(z.string(), z.unknown()).optional().describe('Flow variables: these, at least'),
    widget: z.string().optional().describe('The widget the execution waits at now'),
    ended: z.boolean().optional().describe('Whether the execution has ended'),
    reason: Matcher.optional().describe('Why it ended: the failure code or message, or "completed" when it reached the end of the flow'),
    path: z.array(z.string()).optional().describe('Every widget the execution went through, in order, the trigger first'),
  })
  .refine((e) => Object.keys(e).length > 0, 'expect needs at least one of message, media, say, play, dial, call, request, nothing, variables, widget, ended, reason, path');

const SendStep = z.union([z.string(), z.strictObject({ body: z.string(), media: z.array(z.string()).optional() })]);

export const Step = z
  .strictObject({
    expect: Expectation.optional(),
    send: SendStep.optional().describe('The contact replies with this message'),
    press: z.union([z.string().regex(/^[0-9*#w]+$/, 'digits, * or #'), z.number().int().nonnegative()]).optional().describe('The caller presses these keys'),
    speak: z.string().optional().describe('The caller says this (SpeechResult)'),
    hangup: z.literal(true).optional().describe('The caller hangs up'),
    callback: z.record(z.string(), z.string()).optional().describe('Twilio calls the pending TwiML action with these parameters (e.g. DialCallStatus)'),
    wait: Duration.optional(),
  })
  .refine((s) => Object.keys(s).length === 1, 'a step has exactly one of expect, send, press, speak, hangup, callback, wait');

const Answer = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  json: z.unknown().optional(),
  body: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

export const Mock = z.strictObject({
  url: z.string().min(1).describe('The URL; * matches anything; without ? the query is ignored'),
  method: z.string().optional(),
  respond: z.union([Answer, z.array(Answer).min(1)]).describe('The answer; a list answers successive requests in turn, its last answer repeating'),
});

export const FlowTestCase = z.strictObject({
  name: z.string().min(1),
  trigger: Trigger,
  steps: z.array(Step).default([]),
  mocks: z.array(Mock).optional().describe("This test's own mocks, tried before the file's"),
});

export const FlowTestFile = z.strictObject({
  $schema: z.string().optional(),
  flow: z.string().min(1).optional().describe('A Flow JSON file (a Studio export), relative to this file; required on disk, ignored in tests kept with a flow (they test its revision)'),
  tests: z.array(FlowTestCase).min(1),
  mocks: z.array(Mock).optional().describe('Answers for Make HTTP Request / Run Function; a request none matches fails the test'),
  subflows: z
    .record(z.string().regex(/^FW[0-9a-f]{32}$/, 'a Flow SID (FW and 32 hex digits)'), z.string().min(1))
    .optional()
    .describe('The flows Run Subflow widgets name, by their Flow SID: a Flow JSON file each, relative to this file (published for the test)'),
});

export type FlowTestFile = z.infer<typeof FlowTestFile>;
export type FlowTestCase = z.infer<typeof FlowTestCase>;
export type FlowTestStep = z.infer<typeof Step>;
export type FlowTestExpectation = z.infer<typeof Expectation>;
export type FlowTestTrigger = z.infer<typeof Trigger>;
export type FlowTestMock = z.infer<typeof Mock>;
