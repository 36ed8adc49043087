import { createHmac } from 'node:crypto';
import { OutboundRefused, type Answer, type OutboundHttp } from './outbound-http';
import { PublishError, type Publisher, type PublishRequest, type PublishResult } from './publisher';

/** @deprecated kept for one release beside the Standard Webhooks headers; body-only, replayable. */
export const SIGNATURE_HEADER = 'x-countersign-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the channel secret>` (the deprecated header). */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The Standard Webhooks signature of one delivery: HMAC-SHA256 of "id.timestamp.body" under `key`. */
export const standardWebhookSignature = (
  key: string | Buffer,
  id: string,
  timestamp: string,
  body: string,
): Buffer => createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();

/**
 * The Standard Webhooks headers (standardwebhooks.com): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the secret's UTF-8 bytes as
 * the key, so a receiver verifies with `new Webhook(secret, { format: 'raw' })` and
 * refuses a replay older than its tolerance.
 */
export function standardWebhookHeaders(
  id: string,
  body: string,
  secret: string | Buffer,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = standardWebhookSignature(secret, id, timestamp, body).toString('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** A JSON object's fields, or none when the body is not one. */
function parseObject(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * POSTs the post as JSON to the channel's URL, signed, with an Idempotency-Key.
 * 2xx: published (the body may carry `externalId` and `url`); 4xx: refused for good;
 * 5xx, timeouts and network errors: worth retrying, with the same key.
 */
export class WebhookPublisher implements Publisher {
  constructor(
    private readonly http: OutboundHttp,
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishResult> {
    // createdAt is for the networks' record keys; the webhook's payload stays as documented.
    const {
      idempotencyKey,
      createdAt: _createdAt,
      mediaAlt,
      contentWarning,
      visibility,
      language,
      replyTo,
      ...post
    } = request;
    // The later fields only when set: a receiver written before them sees the same payload.
    const payload = {
      event: 'post.publish',
      ...post,
      ...(mediaAlt.length > 0 ? { mediaAlt } : {}),
      ...(contentWarning ? { contentWarning } : {}),
      ...(visibility !== 'public' ? { visibility } : {}),
      ...(language ? { language } : {}),
      ...(replyTo ? { replyTo } : {}),
    };
    const answer = await this.send(idempotencyKey, payload);
    const said = parseObject(answer.body);
    return {
      externalId: typeof said.externalId === 'string' ? said.externalId : null,
      url: typeof said.url === 'string' ? said.url : null,
      statusCode: answer.status,
    };
  }

  async unpublish(request: {
    idempotencyKey: string;
    postId: string;
    externalId: string | null;
    reason: string;
  }): Promise<void> {
    const { idempotencyKey, ...rest } = request;
    await this.send(idempotencyKey, { event: 'post.delete', ...rest });
  }

  private send(idempotencyKey: string, payload: Record<string, unknown>): Promise<Answer> {
    return postSigned(this.http, this.url, this.secret, idempotencyKey, payload, this.timeoutMs);
  }
}

/** Why a connection failed, in a few words: never an address, a port or a receiver's own text. */
function unreachable(error: unknown): PublishError {
  if (error instanceof OutboundRefused || (error as { cause?: unknown }).cause instanceof OutboundRefused) {
    return new PublishError('refused: the receiver is an internal address (OUTBOUND_ALLOWED_HOSTS)', false);
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const why =
    (error as Error).name === 'AbortError' || /no answer within/.test(String(error)) ? 'timed out' : code;
  return new PublishError(`unreachable${why ? ` (${why})` : ''}`, true);
}

/**
 * POSTs `payload` as JSON, signed the Standard Webhooks way (`webhook-id` is the
 * idempotency key, the same on every try) and with the deprecated
 * X-Countersign-Signature; resolves on 2xx, throws PublishError otherwise
 * (retryable for 5xx, timeouts and network errors). What is kept of a refusal is
 * its status code: a receiver's body may be an internal service's answer.
 */
export async function postSigned(
  http: OutboundHttp,
  url: string,
  secret: string,
  idempotencyKey: string,
  payload: Record<string, unknown>,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const body = JSON.stringify(payload);
  let answer: Answer;
  try {
    answer = await http.post(
      new URL(url),
      {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'idempotency-key': idempotencyKey,
        ...standardWebhookHeaders(idempotencyKey, body, secret),
        [SIGNATURE_HEADER]: signBody(body, secret),
        'user-agent': 'Countersign/1',
        ...headers,
      },
      body,
      timeoutMs,
    );
  } catch (error) {
    throw unreachable(error);
  }
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw new PublishError(`answered ${answer.status}`, answer.status >= 500, answer.status);
}
