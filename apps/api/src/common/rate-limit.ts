import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { PROBLEM_CONTENT_TYPE } from './problem';

const WINDOW_SECONDS = 60;
/** Probes and scrapes are not clients. */
const EXEMPT = /^\/(health|metrics)(\/|$|\?)/;
/** The routes that take a link's token: review, invitation and password reset, page or JSON. */
const LINK_PATH = /^\/(?:review|invite|reset|v1\/auth\/password-reset|v1\/invitations)\/([^/?]+)/;
/** Links from e-mails are bearer secrets in a URL: guessing is throttled per IP and per link. */
const LINK_PER_IP = 60;
const LINK_PER_TOKEN = 20;

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

interface Bucket {
  limiter: RateLimiterRedis;
  key: string;
  /** only looked at: a request with credentials is counted against its IP when they turn out bad */
  peek?: boolean;
}

/** How much of a bucket is spent after this request, and when it refills. */
async function spend({ limiter, key, peek }: Bucket): Promise<{ spent: number; msBeforeNext: number }> {
  if (peek) {
    const seen = await limiter.get(key);
    // A peeked bucket is refused at its limit: the count does not include this request.
    return { spent: (seen?.consumedPoints ?? 0) + 1, msBeforeNext: seen?.msBeforeNext ?? 0 };
  }
  // consume() rejects with the bucket's state once it is spent, and with an Error when Redis fails.
  const res = await limiter.consume(key).catch((rejection: unknown) => {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  });
  return { spent: res.consumedPoints, msBeforeNext: res.msBeforeNext };
}

/**
 * Per-client limits in one-minute windows (rate-limiter-flexible, counted in Redis so
 * that every API process shares them): `perMinute` per credential, and per IP for
 * requests without good ones, in general; stricter ones per IP and per link on the
 * routes that take a link's token. A request with credentials is also refused once its IP has spent its
 * limit on requests without credentials or with bad ones (counted when answered 401):
 * a new made-up credential per request gets no fresh bucket. The IP is the socket's
 * peer unless TRUST_PROXY says which proxies to believe. While Redis does not answer,
 * requests are let through (and the outage shows on /health).
 */
export function useRateLimit(
  fastify: FastifyInstance,
  redis: Redis,
  prefix: string,
  perMinute: number,
): void {
  const logger = new Logger('RateLimit');
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:rate:${name}`,
      points,
      duration: WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
    });
  const perClient = limiter('client', perMinute);
  const perIp = limiter('ip', perMinute);
  const linkPerIp = limiter('link-ip', LINK_PER_IP);
  const linkPerToken = limiter('link-token', LINK_PER_TOKEN);

  const bucketsOf = (request: FastifyRequest): Bucket[] => {
    const link = LINK_PATH.exec(request.url);
    if (link) {
      return [
        { limiter: linkPerIp, key: request.ip },
        { limiter: linkPerToken, key: digest(link[1]) },
      ];
    }
    const authorization = request.headers.authorization;
    const ip = { limiter: perIp, key: request.ip };
    return authorization
      ? [
          { limiter: perClient, key: digest(authorization) },
          { ...ip, peek: true },
        ]
      : [ip];
  };
  const unavailable = (error: Error) => logger.warn(`rate limit not counted: ${error.message}`);

  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 || !request.headers.authorization || LINK_PATH.test(request.url)) return;
    await perIp.penalty(request.ip).catch(unavailable);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (EXEMPT.test(request.url)) return;
    const buckets = bucketsOf(request);
    let spent: Array<{ spent: number; msBeforeNext: number }>;
    try {
      spent = await Promise.all(buckets.map(spend));
    } catch (error) {
      unavailable(error as Error);
      return;
    }
    const lefts = buckets.map((b, i) => b.limiter.points - spent[i].spent);
    const remaining = Math.min(...lefts);
    void reply
      .header('ratelimit-limit', Math.min(...buckets.map((b) => b.limiter.points)))
      .header('ratelimit-remaining', Math.max(remaining, 0));
    if (remaining >= 0) return;
    const refills = spent.filter((_, i) => lefts[i] < 0).map((s) => s.msBeforeNext);
    const resetIn = Math.max(1, Math.ceil(Math.max(...refills) / 1000));
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
