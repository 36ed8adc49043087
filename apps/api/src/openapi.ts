import type { AppConfig } from '@app/config';
import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiExtension, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, titleOf } from './common/problem';

/** A route's own refusals beyond the ones every route has (400, 401, 403, 404, 429): documented as problems. */
export const Problems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(ApiExtension(PROBLEMS, statuses));
const PROBLEMS = 'x-problems';

/** `PostsController`.`create` → `posts_create`: stable, unique, readable in a generated client. */
const operationId = (controller: string, method: string): string =>
  `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${method}`;

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details: the body of every error',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:countersign:problem:validation_failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: [...PROBLEM_CODES] },
    errors: {
      type: 'array',
      description: 'for bad input: each field at fault, by its path',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * What Nest's scanner leaves out, filled in from the routes: the `{workspaceId}` the
 * access guard reads (no handler takes it as a @Param), either credential on every
 * guarded route and none on the public ones, and the problem answers every route can
 * give, each with the problem+json schema.
 */
function completed(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never },
    securitySchemes: {
      loginToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'From POST /v1/auth/login',
      },
      apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (csk_…), sent as a bearer token' },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const method of METHODS) {
      const op: OperationObject | undefined = item[method];
      if (!op) continue;
      const parameters = (op.parameters ?? []) as ParameterObject[];
      for (const name of names) {
        const declared = parameters.find((p) => p.in === 'path' && p.name === name);
        const schema = { type: 'string', ...(name.endsWith('Id') ? { format: 'uuid' } : {}) } as const;
        if (declared) declared.schema = schema;
        else parameters.unshift({ name, in: 'path', required: true, schema });
      }
      op.parameters = parameters;
      const guarded = (op.security ?? []).length > 0;
      op.security = guarded ? [{ loginToken: [] }, { apiKey: [] }] : [];
      const extensions = op as unknown as Record<string, number[] | undefined>;
      const own = extensions[PROBLEMS];
      delete extensions[PROBLEMS];
      const statuses = [
        400,
        429,
        ...(guarded ? [401, 403] : []),
        ...(names.length > 0 ? [404] : []),
        ...(own ?? []),
      ];
      for (const status of statuses) op.responses[status] ??= { description: titleOf(status) };
      for (const [status, response] of Object.entries(op.responses)) {
        // A refusal is a problem, unless the route describes its own answer (/health's 503).
        if (Number(status) >= 400 && response && 'description' in response && !response.content) {
          response.content = {
            [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: { $ref: '#/components/schemas/Problem' } },
          };
        }
      }
    }
  }
  return document;
}

/** The API's OpenAPI document, as served at /docs-json and committed as openapi.json. */
export function openApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  return completed(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Countersign API')
        .setDescription(
          'Editorial calendar and approvals: nothing is published without its required sign-offs.',
        )
        .setVersion('1')
        .addServer(config.publicUrl)
        .addBearerAuth()
        .build(),
      { operationIdFactory: operationId },
    ),
  );
}
