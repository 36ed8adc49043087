import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem';

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
  const status = tooLong ? 414 : 400;
  const body: Problem = {
    type: 'urn:countersign:problem:bad_request',
    title: tooLong ? 'URI too long' : 'Bad request',
    status,
    detail: tooLong ? 'A part of the path is longer than any id.' : 'The path is not a valid URL.',
    code: 'bad_request',
  };
  void reply.status(status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a NUL or a
 * newline in a header, a malformed request line, headers too large). They get the
 * same problem+json as every other error, written straight to the socket.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body: Problem = {
    type: 'urn:countersign:problem:bad_request',
    title: tooLarge ? 'Request header fields too large' : 'Bad request',
    status,
    detail: tooLarge ? 'The request headers are too large.' : 'The request could not be read as HTTP.',
    code: 'bad_request',
  };
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${body.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
