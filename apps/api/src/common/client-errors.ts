import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

/**
 * Errors of Fastify's router, raised before any route and so before Nest's filter:
 * a path that is not valid percent-encoding, a path parameter longer than the
 * router takes. Both are the client's: 4xx, as problem+json.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const body = problem(
    tooLong ? 414 : 400,
    'bad_request',
    tooLong ? 'A part of the path is longer than any id.' : 'The path is not a valid URL.',
  );
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a NUL or a
 * newline in a header, a malformed request line, headers too large). They get the
 * same problem+json as every other error, written straight to the socket.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = problem(
    tooLarge ? 431 : 400,
    'bad_request',
    tooLarge ? 'The request headers are too large.' : 'The request could not be read as HTTP.',
  );
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? ''}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
