import { createHmac } from 'node:crypto';
import { PublishError, type Publisher, type PublishRequest, type PublishResult } from './publisher';

export const SIGNATURE_HEADER = 'x-countersign-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the channel secret>` */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs the post as JSON to the channel's URL, signed, with an Idempotency-Key.
 * 2xx: published (the body may carry `externalId` and `url`); 4xx: refused for good;
 * 5xx, timeouts and network errors: worth retrying, with the same key.
 */
export class WebhookPublisher implements Publisher {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishResult> {
    const { idempotencyKey, ...post } = request;
    const res = await this.send(idempotencyKey, { event: 'post.publish', ...post });
    const answer = (await res.json().catch(() => ({}))) as { externalId?: unknown; url?: unknown };
    return {
      externalId: typeof answer.externalId === 'string' ? answer.externalId : null,
      url: typeof answer.url === 'string' ? answer.url : null,
      statusCode: res.status,
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

  private send(idempotencyKey: string, payload: Record<string, unknown>): Promise<Response> {
    return postSigned(this.url, this.secret, idempotencyKey, payload, this.timeoutMs);
  }
}

/**
 * POSTs `payload` as JSON signed with `secret` (X-Countersign-Signature) and with an
 * Idempotency-Key; resolves on 2xx, throws PublishError otherwise (retryable for
 * 5xx, timeouts and network errors). Shared by publishing and outbound webhooks.
 */
export async function postSigned(
  url: string,
  secret: string,
  idempotencyKey: string,
  payload: Record<string, unknown>,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        [SIGNATURE_HEADER]: signBody(body, secret),
        'user-agent': 'Countersign/1',
        ...headers,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (error as Error).message;
    throw new PublishError(`unreachable: ${why}`, true);
  }
  if (res.ok) return res;
  const text = (await res.text().catch(() => '')).slice(0, 500);
  throw new PublishError(`answered ${res.status}${text ? `: ${text}` : ''}`, res.status >= 500, res.status);
}
