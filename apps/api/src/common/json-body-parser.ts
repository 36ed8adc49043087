import { DomainError, ErrorCode } from '@app/domain';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

/**
 * Replaces Fastify's JSON parser with one whose failures are DomainErrors, so a
 * malformed body reaches the problem filter as `malformed_json` (Nest would turn
 * Fastify's own error into an anonymous 400). Prototype-poisoning keys are refused,
 * as Fastify does; an empty body counts as no body.
 */
export function useJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = body as string;
      // Kept for routes that verify a signature over the exact bytes sent (inbound mentions).
      (request as { rawBody?: string }).rawBody = text;
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
      } catch (error) {
        done(
          new DomainError(
            ErrorCode.MalformedJson,
            `The request body is not valid JSON: ${(error as Error).message}`,
          ),
          undefined,
        );
      }
    },
  );
}

/** CSV bodies (bulk import) stay text; they may be larger than JSON ones: 10,000 posts. */
export const CSV_BODY_LIMIT = 20 * 1024 * 1024;

export function useCsvBodyParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
}
