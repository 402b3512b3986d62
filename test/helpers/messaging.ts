import { randomUUID } from 'node:crypto';
import type { AccountCredentials } from '../../src/config/credentials';
import type { Limits } from '../../src/config/limits';
import type { MessageChannel } from '../../src/channels/channel';
import { LocalChannel } from '../../src/channels/local';
import { LocalCalls, LocalMessages } from '../../src/store/local-messages';
import type { FlowDefinition } from '../../src/flow/definition';
import { newSid } from '../../src/sids';
import { startTestApi, type TestApi } from './api';
import { freshDatabase, type Dialect } from './databases';
import { startTemporalTestContext, type TemporalTestContext } from './temporal';
import { TwilioChannel } from '../../src/channels/twilio';
import { postInboundMessage, startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in';
import { localTwilioClient } from './twilio-client';

/**
 * The API and a worker sharing one database and account, so flows published through the API
 * run on the worker, messages sent on the local channel show in the API's inbox, and status
 * callbacks come back to the API.
 */
export interface MessagingRig {
  readonly api: TestApi;
  readonly t: TemporalTestContext;
  readonly account: AccountCredentials;
  /** Publishes a flow and returns its SID. */
  /** Publishes a flow (or, with `asDraft`, only saves it: run it as one of `testUsers`). */
  publish(definition: FlowDefinition, options?: { draft?: FlowDefinition; testUsers?: string[]; asDraft?: boolean }): Promise<string>;
  /** The flow webhook URL for a flow. */
  webhook(flowSid: string): string;
  /** Posts a signed inbound message. */
  text(flowSid: string, from: string, body: string, messageSid?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startMessagingRig(
  options: {
    channel?: (account: AccountCredentials) => MessageChannel | Promise<MessageChannel>;
    rewriteUrl?: (url: URL) => URL;
    /** The API's limits and rate-limit clock (see startTestApi). */
    limits?: Partial<Limits>;
    clock?: () => number;
    /** The store the API and the worker share; SQLite by default. */
    dialect?: Dialect;
  } = {},
): Promise<MessagingRig> {
  const db = await freshDatabase(options.dialect ?? 'sqlite');
  const account: AccountCredentials = { accountSid: newSid('AC'), authToken: randomUUID().replace(/-/g, ''), source: 'generated' };
  const taskQueue = `messaging-${randomUUID()}`;
  const api = await startTestApi({ taskQueue, database: db.database, account, ...(options.limits ? { limits: options.limits } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const t = await startTemporalTestContext({
    taskQueue,
    store: api.store,
    // One database for both, as in production: the worker's events and insights are the API's to read.
    database: db.database,
    account,
    publicUrl: api.url,
    channel: (await options.channel?.(account)) ?? new LocalChannel(new LocalMessages(db.database), account.accountSid, new LocalCalls(db.database)),
    ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}),
  });
  const client = localTwilioClient(api.url, account.accountSid, account.authToken);
  const webhook = (flowSid: string) => `${api.url}/v1/Accounts/${account.accountSid}/Flows/${flowSid}`;
  return {
    api,
    t,
    account,
    webhook,
    publish: async (definition, extra = {}) => {
      const flow = await client.studio.v2.flows.create({ friendlyName: 'rig', status: extra.asDraft ? 'draft' : 'published', definition });
      if (extra.draft) await client.studio.v2.flows(flow.sid).update({ status: 'draft', definition: extra.draft });
      if (extra.testUsers) await client.studio.v2.flows(flow.sid).testUsers().update({ testUsers: extra.testUsers });
      return flow.sid;
    },
    text: (flowSid, from, body, messageSid) => postInboundMessage(webhook(flowSid), account.authToken, { From: from, To: '+15005550006', Body: body, ...(messageSid ? { MessageSid: messageSid } : {}) }),
    close: async () => {
      await t.close();
      await api.close();
      await db.drop();
    },
  };
}

/** Polls until `check` returns a value (for things that happen in another process or workflow). */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The rig with the Twilio channel pointed at a stand-in of Twilio's API (sends, refusals, status callbacks). */
export async function startTwilioMessagingRig(): Promise<{ rig: MessagingRig; standIn: TwilioStandIn; close: () => Promise<void> }> {
  let standIn: TwilioStandIn | undefined;
  const rig = await startMessagingRig({
    channel: async (a) => {
      standIn = await startTwilioStandIn(a.accountSid, a.authToken);
      return new TwilioChannel({ apiBaseUrl: standIn.url, conversationsBaseUrl: standIn.url, accountSid: a.accountSid, authToken: a.authToken });
    },
  });
  const started = standIn!;
  return {
    rig,
    standIn: started,
    close: async () => {
      await rig.close();
      await started.close();
    },
  };
}
