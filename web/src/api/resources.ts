import type { FlowDefinition } from '../../../src/flow/definition';
import type { FlowIssue } from '../../../src/flow/issues';

/** The REST resources the editor reads, with Studio's snake_case fields. */

/** One saved revision of a flow. */
export interface RevisionResource {
  readonly sid: string;
  readonly friendly_name: string;
  readonly definition: FlowDefinition | null;
  readonly status: 'draft' | 'published';
  readonly revision: number;
  readonly commit_message: string | null;
  readonly valid: boolean | null;
  readonly errors: FlowIssue[] | null;
  readonly date_created: string;
  readonly date_updated: string | null;
}

/** A flow: its latest revision, with the warnings and the webhook a revision does not carry. */
export interface FlowResource extends RevisionResource {
  readonly warnings: FlowIssue[] | null;
  readonly webhook_url: string;
  /** The REST API URL of the flow itself. */
  readonly url: string;
  /** `executions`: the REST API URL that starts an Execution. */
  readonly links: { readonly executions: string; readonly revisions: string; readonly test_users: string };
}

export interface ExecutionResource {
  readonly sid: string;
  readonly flow_sid: string;
  readonly contact_channel_address: string;
  readonly status: 'active' | 'ended';
  readonly flow_version: number;
  readonly initiated_by: string | null;
  readonly date_created: string;
  readonly date_updated: string | null;
}

export interface StepResource {
  readonly sid: string;
  readonly execution_sid: string;
  readonly parent_step_sid: string | null;
  /** The event that caused the transition. */
  readonly name: string;
  readonly transitioned_from: string;
  readonly transitioned_to: string;
  readonly type: string;
  readonly date_created: string;
}

export interface ContextResource {
  readonly context: Record<string, unknown>;
}

export interface TestUsersResource {
  readonly sid: string;
  readonly test_users: string[];
}

/** Who the editor's credentials are (`GET /v1/Local/Session`): the account, and the API key if one signed in. */
export interface SessionResource {
  readonly account_sid: string;
  readonly credential: 'auth_token' | 'api_key';
  readonly api_key_sid: string | null;
}

export const SESSION_PATH = '/v1/Local/Session';

export const flowPath = (sid: string) => `/v2/Flows/${sid}`;
