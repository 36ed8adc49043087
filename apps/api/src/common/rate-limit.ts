import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { PROBLEM_CONTENT_TYPE } from './problem';

const WINDOW_SECONDS = 60;
/** Probes and scrapes are not clients. */
const EXEMPT = /^\/(health|metrics)(\/|$|\?)/;
const REVIEW_PATH = /^\/review\/([^/?]+)/;
/** Review links are bearer secrets in a URL: guessing is throttled per IP and per link. */
const REVIEW_PER_IP = 60;
const REVIEW_PER_TOKEN = 20;

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

interface Bucket {
  key: string;
  limit: number;
  /** only looked at: a request with credentials is counted against its IP when they turn out bad */
  peek?: boolean;
}

/**
 * What a request counts against, with the limit of each. A request without
 * credentials counts against its IP; one with credentials against them, and it is
 * refused too once its IP has spent its limit on requests without credentials or
 * with bad ones (counted when answered 401): a new made-up credential per request
 * gets no fresh bucket.
 */
function bucketsOf(request: FastifyRequest, perMinute: number): Bucket[] {
  const review = REVIEW_PATH.exec(request.url);
  if (review) {
    return [
      { key: `review-ip:${request.ip}`, limit: REVIEW_PER_IP },
      { key: `review-token:${digest(review[1])}`, limit: REVIEW_PER_TOKEN },
    ];
  }
  const authorization = request.headers.authorization;
  const ip = { key: `ip:${request.ip}`, limit: perMinute };
  return authorization
    ? [
        { key: `c:${digest(authorization)}`, limit: perMinute },
        { ...ip, peek: true },
      ]
    : [ip];
}

/**
 * Per-client limits in fixed one-minute windows, counted in Redis so that every API
 * process shares them: `perMinute` per credential, and per IP for requests without
 * good ones, in general; stricter ones per IP and per link on the review pages.
 * The IP is the socket's peer unless TRUST_PROXY says which proxies to believe.
 * While Redis does not answer, requests are let through (and the outage shows on /health).
 */
export function useRateLimit(
  fastify: FastifyInstance,
  redis: Redis,
  prefix: string,
  perMinute: number,
): void {
  const logger = new Logger('RateLimit');
  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 || !request.headers.authorization || REVIEW_PATH.test(request.url)) return;
    const key = `${prefix}:rate:ip:${request.ip}:${Math.floor(Date.now() / 1000 / WINDOW_SECONDS)}`;
    await redis
      .multi()
      .incr(key)
      .expire(key, WINDOW_SECONDS * 2)
      .exec()
      .catch((error: Error) => logger.warn(`rate limit not counted: ${error.message}`));
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (EXEMPT.test(request.url)) return;
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const buckets = bucketsOf(request, perMinute);
    let counts: number[];
    try {
      const multi = redis.multi();
      for (const b of buckets) {
        const key = `${prefix}:rate:${b.key}:${window}`;
        // Two replies per bucket either way, so that results[i * 2] is bucket i's count.
        if (b.peek) multi.get(key).exists(key);
        else multi.incr(key).expire(key, WINDOW_SECONDS * 2);
      }
      const results = (await multi.exec()) ?? [];
      // A peeked bucket is refused at its limit (the count does not include this request).
      counts = buckets.map((b, i) => Number(results[i * 2]?.[1] ?? 0) + (b.peek ? 1 : 0));
    } catch (error) {
      logger.warn(`rate limit not counted: ${(error as Error).message}`);
      return;
    }
    const resetIn = WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS);
    const remaining = Math.min(...buckets.map((b, i) => b.limit - counts[i]));
    void reply
      .header('ratelimit-limit', Math.min(...buckets.map((b) => b.limit)))
      .header('ratelimit-remaining', Math.max(remaining, 0));
    if (remaining >= 0) return;
    await reply
      .status(429)
      .header('retry-after', resetIn)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        type: 'urn:countersign:problem:rate_limited',
        title: 'Too many requests',
        status: 429,
        detail: `Too many requests in a minute; try again in ${resetIn} s.`,
        code: 'rate_limited',
      });
  });
}
