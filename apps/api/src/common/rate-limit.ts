import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { PROBLEM_CONTENT_TYPE } from './problem';

const WINDOW_SECONDS = 60;
/** Probes and scrapes are not clients; the review and auth routes have their own, stricter limits. */
const EXEMPT = /^\/(health|metrics)(\/|$|\?)/;

/** Who a request counts against: its credential when it has one, otherwise its IP. */
function clientOf(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (authorization)
    return `c:${createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

/**
 * A general per-client limit: `perMinute` requests in each fixed one-minute window,
 * counted in Redis so that every API process shares the count. While Redis does
 * not answer, requests are let through (and the outage shows on /health).
 */
export function useRateLimit(
  fastify: FastifyInstance,
  redis: Redis,
  prefix: string,
  perMinute: number,
): void {
  const logger = new Logger('RateLimit');
  fastify.addHook('onRequest', async (request, reply) => {
    if (EXEMPT.test(request.url)) return;
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const key = `${prefix}:rate:${clientOf(request)}:${window}`;
    let count: number;
    try {
      const results = await redis
        .multi()
        .incr(key)
        .expire(key, WINDOW_SECONDS * 2)
        .exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      logger.warn(`rate limit not counted: ${(error as Error).message}`);
      return;
    }
    const resetIn = WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS);
    void reply
      .header('ratelimit-limit', perMinute)
      .header('ratelimit-remaining', Math.max(perMinute - count, 0));
    if (count <= perMinute) return;
    await reply
      .status(429)
      .header('retry-after', resetIn)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        type: 'urn:countersign:problem:rate_limited',
        title: 'Too many requests',
        status: 429,
        detail: `More than ${perMinute} requests in a minute; try again in ${resetIn} s.`,
        code: 'rate_limited',
      });
  });
}
