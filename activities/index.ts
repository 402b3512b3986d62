import { Context } from '@temporalio/activity';
import type { Dispatcher } from 'undici';
import type { HttpRequest, HttpResult, RevisionChoice } from '../src/engine/effects';
import type { FlowStore } from '../src/store/flow-store';
import { performHttpRequest } from './http-request';
import { loadFlowRevision, type LoadedRevision } from './load-flow-revision';

/**
 * The execution's I/O: every side effect a widget needs is an activity built here from its
 * dependencies. Workflow code imports only the type.
 */
export interface ActivityDependencies {
  readonly store: FlowStore;
  readonly account: { readonly accountSid: string; readonly authToken: string };
  /** The egress-checked HTTP agent. */
  readonly dispatcher: Dispatcher;
  /** Tests only: send outbound HTTP to a local stand-in instead of the internet. */
  readonly rewriteUrl?: (url: URL) => URL;
}

/** How often a running HTTP call tells Temporal it is alive, which is how it learns of a cancel. */
const HEARTBEAT_MS = 1_000;

export function createActivities(deps: ActivityDependencies) {
  return {
    httpRequest: async (request: HttpRequest): Promise<HttpResult> => {
      const context = Context.current();
      const timer = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        // An ended execution cancels its in-flight call instead of letting it run to the timeout.
        return await performHttpRequest(deps, request, context.cancellationSignal);
      } finally {
        clearInterval(timer);
      }
    },
    loadFlowRevision: (flowSid: string, choice: RevisionChoice): Promise<LoadedRevision> => loadFlowRevision(deps.store, flowSid, choice),
  };
}

export type Activities = ReturnType<typeof createActivities>;
