import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import openapi from '../../openapi.json';

/**
 * Every answer a test receives from a documented route is held against openapi.json:
 * the status must be one the operation declares, and a JSON body must match the declared
 * schema with no undeclared field (what a generated client would not know about). So a
 * view that drifts from its description fails whichever test happens to read it.
 */
type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/**
 * The schema as a generated client reads it: objects with declared properties get
 * `additionalProperties: false` unless they say otherwise, and `nullable` beside an
 * `allOf` (how OpenAPI 3.0 writes "this view or null") admits null.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // `example` values are free-form; keywords inside them are not schemas.
    out[key] = key === 'example' || key === 'examples' ? value : closed(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (out.nullable === true && out.allOf) {
    const { nullable: _, ...rest } = out;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: closed(openapi.components) }, 'openapi');

const routes = Object.entries(openapi.paths as Record<string, Record<string, Operation>>).map(
  ([template, operations]) => ({
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    operations,
  }),
);

const validators = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: Schema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    const rebased = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'));
    validate = ajv.compile(closed(rebased) as Schema);
    validators.set(key, validate);
  }
  return validate;
}

/** Routes that are not part of the JSON API (pages, metrics, the document itself). */
const UNDOCUMENTED = [
  /^\/(review|invite|reset)\//,
  /^\/metrics$/,
  /^\/docs/,
  /^\/admin\/queues/,
  /^\/openapi\.json$/,
];

/** Refusals of the HTTP layer itself (a body it cannot read or will not take, a URL too long). */
const TRANSPORT = new Set([413, 414, 415]);

/**
 * Throws when the answer to `method path` breaks the contract. Routes the document
 * does not describe under /v1 are a failure too: the frontend would not know them.
 */
export function assertContract(
  method: string,
  path: string,
  status: number,
  contentType: string,
  body: unknown,
): void {
  const pathname = new URL(path, 'http://x').pathname;
  if (UNDOCUMENTED.some((p) => p.test(pathname))) return;
  const route = routes.find((r) => r.pattern.test(pathname));
  const operation = route?.operations[method.toLowerCase()];
  if (TRANSPORT.has(status)) return;
  if (!operation) {
    // 404/405 for routes that do not exist are what they should be (400: a body unread before routing).
    if (status === 400 || status === 404 || status === 405) return;
    throw new Error(`${method} ${pathname} answered ${status} but openapi.json does not describe it`);
  }
  const response = operation.responses[String(status)] ?? operation.responses.default;
  if (!response) {
    throw new Error(
      `${operation.operationId} answered ${status}, which openapi.json does not declare ` +
        `(declared: ${Object.keys(operation.responses).join(', ')})`,
    );
  }
  const mediaType = contentType.split(';')[0].trim();
  const content = response.content;
  if (!content || typeof body !== 'object' || body === null || !/json$/.test(mediaType)) return;
  const described = content[mediaType] ?? content['application/json'];
  if (!described?.schema) {
    throw new Error(
      `${operation.operationId} ${status}: ${mediaType} is not among ${Object.keys(content).join(', ')}`,
    );
  }
  const validate = validatorFor(`${operation.operationId} ${status} ${mediaType}`, described.schema);
  if (!validate(body)) {
    const problems = (validate.errors ?? [])
      .map(
        (e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`,
      )
      .join('; ');
    throw new Error(`${operation.operationId} ${status} does not match openapi.json: ${problems}`);
  }
}
