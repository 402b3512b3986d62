import { z } from 'zod';
import type { RouteSpec } from './route';

const errorSchema = z.object({
  code: z.number().int().describe('Twilio error code'),
  message: z.string(),
  more_info: z.string(),
  status: z.number().int(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: a parameter or the definition is invalid (details list every problem)',
  401: 'Missing or wrong credentials',
  404: 'No such resource',
  409: 'Conflict',
};

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/**
 * The OpenAPI 3.1 document of the REST API, generated from the same route descriptions and
 * zod schemas that serve and check the requests.
 */
export function openApiDocument(routes: readonly RouteSpec<never>[], publicUrl: string, version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes as readonly RouteSpec<unknown>[]) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    (paths[path] ??= {})[spec.method] = operation(spec, path);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Open Studio REST API',
      version,
      description: "Twilio Studio's REST API v2 (Flows, Revisions, Validate, Test Users, …), served by a self-hosted engine.",
    },
    servers: [{ url: publicUrl }],
    security: [{ basicAuth: [] }],
    components: {
      securitySchemes: { basicAuth: { type: 'http', scheme: 'basic', description: 'Account SID and auth token' } },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}

function operation(spec: RouteSpec<unknown>, path: string): Record<string, unknown> {
  const parameters: unknown[] = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  let requestBody: unknown;
  if (spec.input && spec.method === 'get') {
    const schema = jsonSchema(spec.input, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
    }
  } else if (spec.input) {
    const schema = jsonSchema(spec.input, 'input');
    requestBody = { required: true, content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } } };
  }
  const responses: Record<string, unknown> = {
    [spec.response.status]: {
      description: spec.response.description,
      ...(spec.response.schema ? { content: { 'application/json': { schema: jsonSchema(spec.response.schema, 'output') } } } : {}),
    },
  };
  for (const status of spec.errors ?? []) {
    responses[status] = { description: ERROR_TEXT[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.auth === false ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}
