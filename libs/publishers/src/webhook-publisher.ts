import { createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { PublishError, type Publisher, type PublishRequest, type PublishResult } from './publisher';

export const SIGNATURE_HEADER = 'x-countersign-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the channel secret>` */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
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
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishResult> {
    const { idempotencyKey, ...post } = request;
    const answer = await this.send(idempotencyKey, { event: 'post.publish', ...post });
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
    return postSigned(this.url, this.secret, idempotencyKey, payload, this.timeoutMs);
  }
}

/** A receiver's answer: its status and the start of its body. */
export interface Answer {
  status: number;
  body: string;
}

/** More of a receiver's answer than this is not kept (it is only read for externalId and url). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Keep-alive connections, shared by every publish and delivery of the process: a
 * burst reuses them instead of a TCP handshake per post. node:http rather than
 * fetch: about a fifth of the CPU per request here (measured: 72 vs 337 us).
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 256 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
};

/**
 * POSTs `payload` as JSON signed with `secret` (X-Countersign-Signature) and with an
 * Idempotency-Key; resolves on 2xx, throws PublishError otherwise (retryable for
 * 5xx, timeouts and network errors; redirects are not followed). Shared by
 * publishing and outbound webhooks.
 */
export async function postSigned(
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
    answer = await post(
      new URL(url),
      {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'idempotency-key': idempotencyKey,
        [SIGNATURE_HEADER]: signBody(body, secret),
        'user-agent': 'Countersign/1',
        ...headers,
      },
      body,
      timeoutMs,
    );
  } catch (error) {
    throw new PublishError(`unreachable: ${(error as Error).message}`, true);
  }
  if (answer.status >= 200 && answer.status < 300) return answer;
  const text = answer.body.slice(0, 500);
  throw new PublishError(
    `answered ${answer.status}${text ? `: ${text}` : ''}`,
    answer.status >= 500,
    answer.status,
  );
}

/** One POST, answered in full within `timeoutMs` or rejected. */
function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  const agent = url.protocol === 'http:' || url.protocol === 'https:' ? agents[url.protocol] : undefined;
  if (!agent) return Promise.reject(new Error(`${url.protocol} is not http or https`));
  return new Promise<Answer>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'POST', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}
