import { z } from 'zod';
import type { RevisionSelector } from '../../store/flow-store';
import { ApiError } from '../errors';
import { page, pageMetaSchema, pageParams } from '../paging';
import { revisionResource, revisionResourceSchema } from '../resources/flows';
import { route, type RouteSpec } from '../route';
import { requireFlow, type FlowRouteDeps } from './flows';

/** `{Revision}` is a number or one of Studio's two names. */
function selector(raw: string | undefined): RevisionSelector {
  if (raw === 'LatestPublished' || raw === 'LatestRevision') return raw;
  if (raw !== undefined && /^[1-9]\d{0,9}$/.test(raw)) return Number(raw);
  throw new ApiError(400, 81021, 'Revision must be an integer, LatestPublished or LatestRevision');
}

/** Flow Revisions: read-only, every save of a flow. */
export function revisionRoutes(deps: FlowRouteDeps): RouteSpec<never>[] {
  return [
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Revisions',
      operationId: 'ListFlowRevision',
      summary: 'List the revisions of a flow, newest first',
      tag: 'Flow Revisions',
      input: pageParams,
      response: { status: 200, description: 'A page of revisions', schema: z.object({ meta: pageMetaSchema, revisions: z.array(revisionResourceSchema) }) },
      errors: [400, 401, 404],
      handle: async ({ input, path, account, pageTokens }) => {
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const after = pageTokens.decode(input.PageToken, z.object({ r: z.number().int() }));
        const rows = await deps.store.listRevisions(flow.sid, input.PageSize + 1, after?.r, input.Page * input.PageSize);
        const result = page({ baseUrl: `${deps.publicUrl}/v2/Flows/${flow.sid}/Revisions`, key: 'revisions', params: input, items: rows, positionOf: (r) => ({ r: r.revision }), tokens: pageTokens });
        return { status: 200, body: { meta: result.meta, revisions: result.items.map((r) => revisionResource(deps, account.accountSid, r, false)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Revisions/:Revision',
      operationId: 'FetchFlowRevision',
      summary: 'Fetch one revision (a number, LatestPublished or LatestRevision)',
      tag: 'Flow Revisions',
      response: { status: 200, description: 'The revision', schema: revisionResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ path, account }) => {
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const revision = await deps.store.getRevision(flow.sid, selector(path.Revision));
        if (!revision) throw ApiError.notFound(`/v2/Flows/${flow.sid}/Revisions/${path.Revision}`);
        return { status: 200, body: revisionResource(deps, account.accountSid, revision, true) };
      },
    }),
  ] as RouteSpec<never>[];
}
