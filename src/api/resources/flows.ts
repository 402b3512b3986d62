import { z } from 'zod';
import type { FlowRecord, RevisionRecord } from '../../store/flow-store';
import { twilioDate } from '../paging';

/** Response shapes of the Flows API, with Studio's snake_case fields. */

const flowIssueSchema = z.object({ property_path: z.string(), message: z.string(), code: z.string() });

const flowStatus = z.enum(['draft', 'published']);

export const flowResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  author_sid: z.string().nullable(),
  friendly_name: z.string(),
  definition: z.unknown().nullable().describe('The Flow JSON; null in lists'),
  status: flowStatus,
  revision: z.number().int(),
  commit_message: z.string().nullable(),
  valid: z.boolean().nullable(),
  errors: z.array(flowIssueSchema).nullable(),
  warnings: z.array(flowIssueSchema).nullable(),
  webhook_url: z.string(),
  date_created: z.string(),
  date_updated: z.string().nullable(),
  url: z.string(),
  links: z.object({ test_users: z.string(), revisions: z.string(), executions: z.string() }),
});
export type FlowResource = z.infer<typeof flowResourceSchema>;

export const revisionResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  author_sid: z.string().nullable(),
  friendly_name: z.string(),
  definition: z.unknown().nullable(),
  status: flowStatus,
  revision: z.number().int(),
  commit_message: z.string().nullable(),
  valid: z.boolean().nullable(),
  errors: z.array(flowIssueSchema).nullable(),
  date_created: z.string(),
  date_updated: z.string().nullable(),
  url: z.string(),
});
export type RevisionResource = z.infer<typeof revisionResourceSchema>;

export const testUsersResourceSchema = z.object({ sid: z.string(), test_users: z.array(z.string()), url: z.string() });

/** Where resources live: URLs are built from PUBLIC_URL, as Twilio builds them from its hosts. */
export interface ResourceUrls {
  readonly publicUrl: string;
}

export function flowUrl(urls: ResourceUrls, sid: string): string {
  return `${urls.publicUrl}/v2/Flows/${sid}`;
}

/** `full` for fetch/create/update; lists null the definition and validation fields, as Studio does. */
export function flowResource(urls: ResourceUrls, flow: FlowRecord, full: boolean): FlowResource {
  const url = flowUrl(urls, flow.sid);
  return {
    sid: flow.sid,
    account_sid: flow.accountSid,
    author_sid: null,
    friendly_name: flow.friendlyName,
    definition: full ? (flow.latest.definition ?? null) : null,
    status: flow.status,
    revision: flow.revision,
    commit_message: flow.latest.commitMessage,
    valid: full ? flow.latest.valid : null,
    errors: full ? [...flow.latest.errors] : null,
    warnings: full ? [...flow.latest.warnings] : null,
    webhook_url: `${urls.publicUrl}/v1/Accounts/${flow.accountSid}/Flows/${flow.sid}`,
    date_created: twilioDate(flow.dateCreated),
    date_updated: twilioDate(flow.dateUpdated),
    url,
    links: { test_users: `${url}/TestUsers`, revisions: `${url}/Revisions`, executions: `${url}/Executions` },
  };
}

export function revisionResource(urls: ResourceUrls, accountSid: string, revision: RevisionRecord, full: boolean): RevisionResource {
  return {
    sid: revision.flowSid,
    account_sid: accountSid,
    author_sid: null,
    friendly_name: revision.friendlyName,
    definition: full ? (revision.definition ?? null) : null,
    status: revision.status,
    revision: revision.revision,
    commit_message: revision.commitMessage,
    valid: full ? revision.valid : null,
    errors: full ? [...revision.errors] : null,
    date_created: twilioDate(revision.dateCreated),
    date_updated: null,
    url: `${flowUrl(urls, revision.flowSid)}/Revisions/${revision.revision}`,
  };
}
