import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { OutboundHttp } from './outbound-http';
import { OutboundPolicy } from './outbound-policy';
import { PublishError } from './publisher';
import { postSigned as postSignedBy, signBody, WebhookPublisher } from './webhook-publisher';

// The receivers here listen on loopback, which outbound HTTP refuses unless allowed.
const http = new OutboundHttp(OutboundPolicy.from(['127.0.0.1']));
const strict = new OutboundHttp(OutboundPolicy.from([]));
const postSigned = (...args: Parameters<typeof postSignedBy> extends [unknown, ...infer R] ? R : never) =>
  postSignedBy(http, ...args);

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver on loopback that answers as the test says and remembers what came. */
async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/in?tenant=1`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const post = {
  idempotencyKey: '0b6f3c55-6c4e-4f7a-9a53-8f7a3d1f2e10-v3',
  postId: '0b6f3c55-6c4e-4f7a-9a53-8f7a3d1f2e10',
  version: 3,
  workspaceId: 'a1e8f1f5-3c1d-4a59-8d5a-4b7e0e8b9c21',
  channel: { id: 'c', name: 'Brand', network: 'linkedin', handle: '@brand' },
  text: 'Héllo 👋',
  mediaUrls: [],
  link: null,
  scheduledAt: '2026-12-01T09:00:00.000Z',
  createdAt: '2026-11-30T09:00:00.000Z',
  mediaAlt: [],
  contentWarning: null,
  visibility: 'public' as const,
  language: null,
  replyTo: null,
};

async function publishError(promise: Promise<unknown>): Promise<PublishError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PublishError);
  return error as PublishError;
}

describe('WebhookPublisher (real HTTP receiver)', () => {
  let hook: Awaited<ReturnType<typeof receiver>> | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  it('POSTs the signed JSON with the idempotency key to the path and query, and reads externalId and url', async () => {
    hook = await receiver((_req, res) =>
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end('{"externalId":"li-42","url":"https://x/42"}'),
    );
    const result = await new WebhookPublisher(http, hook.url, 'secret-0123456789', 5000).publish(post);

    expect(result).toEqual({ externalId: 'li-42', url: 'https://x/42', statusCode: 201 });
    const [got] = hook.received;
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/hooks/in?tenant=1');
    expect(got.headers['idempotency-key']).toBe(post.idempotencyKey);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-countersign-signature']).toBe(signBody(got.body, 'secret-0123456789'));
    const {
      idempotencyKey: _key,
      createdAt: _createdAt,
      mediaAlt: _alt,
      contentWarning: _cw,
      visibility: _visibility,
      language: _language,
      replyTo: _replyTo,
      ...sent
    } = post;
    // Fields added after the payload was documented appear only when set.
    expect(JSON.parse(got.body)).toEqual({ event: 'post.publish', ...sent });
  });

  it('reuses its connections: many posts, few sockets', async () => {
    const sockets = new Set<unknown>();
    hook = await receiver((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200).end();
    });
    const publisher = new WebhookPublisher(http, hook.url, 's', 5000);
    for (let i = 0; i < 20; i += 1) await publisher.publish(post);
    expect(hook.received).toHaveLength(20);
    // One, or two when the next request goes out before the pool has taken its socket back.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('treats 4xx as refused for good and 5xx as worth retrying, keeping the status and never the answer', async () => {
    let status = 422;
    hook = await receiver((_req, res) => res.writeHead(status).end('{"error":"text too long"}'));
    const refused = await publishError(postSigned(hook.url, 's', 'k', {}, 5000));
    expect(refused).toMatchObject({ retryable: false, statusCode: 422 });
    expect(refused.message).toBe('answered 422');

    status = 503;
    const busy = await publishError(postSigned(hook.url, 's', 'k', {}, 5000));
    expect(busy).toMatchObject({ retryable: true, statusCode: 503 });
  });

  it('does not follow a redirect', async () => {
    hook = await receiver((req, res) =>
      req.url === '/elsewhere'
        ? res.writeHead(200).end()
        : res.writeHead(302, { location: '/elsewhere' }).end(),
    );
    const error = await publishError(postSigned(hook.url, 's', 'k', {}, 5000));
    expect(error).toMatchObject({ retryable: false, statusCode: 302 });
    expect(hook.received.map((r) => r.path)).toEqual(['/hooks/in?tenant=1']);
  });

  it('gives up on a receiver that does not answer within the timeout, as worth retrying', async () => {
    hook = await receiver(() => undefined);
    const started = Date.now();
    const error = await publishError(postSigned(hook.url, 's', 'k', {}, 300));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ retryable: true, statusCode: null });
    expect(error.message).toBe('unreachable (timed out)');
  });

  it('counts a body that trickles past the timeout as no answer', async () => {
    hook = await receiver((_req, res) => {
      res.writeHead(200);
      res.write('{"externalId":');
      // ...and never ends it.
    });
    const error = await publishError(postSigned(hook.url, 's', 'k', {}, 300));
    expect(error.message).toBe('unreachable (timed out)');
  });

  it('keeps only the first 64 KB of a long answer and still publishes', async () => {
    hook = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5 * 1024 * 1024));
    });
    const answer = await postSigned(hook.url, 's', 'k', {}, 5000);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(64 * 1024);
  });

  it('calls an unreachable receiver worth retrying, and a URL that is not http(s) too', async () => {
    hook = await receiver(() => undefined);
    const url = hook.url;
    await hook.close();
    hook = undefined;
    const refused = await publishError(postSigned(url, 's', 'k', {}, 2000));
    expect(refused.retryable).toBe(true);
    expect(refused.message).toBe('unreachable (ECONNREFUSED)');

    const ftp = await publishError(postSigned('ftp://127.0.0.1/x', 's', 'k', {}, 2000));
    expect(ftp.message).toBe('unreachable');
  });

  it('signs the Standard Webhooks way: the standardwebhooks package verifies it, and refuses a replay', async () => {
    hook = await receiver((_req, res) => res.writeHead(204).end());
    await postSigned(hook.url, 'channel-secret-0123456789', 'post-1-v3', { hello: 'wörld' }, 5000);
    const [got] = hook.received;
    const headers = got.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('post-1-v3');
    const verifier = new Webhook('channel-secret-0123456789', { format: 'raw' });
    expect(verifier.verify(got.body, headers)).toEqual({ hello: 'wörld' });
    expect(() => verifier.verify(`${got.body} `, headers)).toThrow(/signature/);
    const old = { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 600) };
    expect(() => verifier.verify(got.body, old)).toThrow(/too old/);
    expect(headers['x-countersign-signature']).toBe(signBody(got.body, 'channel-secret-0123456789'));
  });

  it('does not connect to an internal address, by literal or by a name that resolves to one', async () => {
    hook = await receiver((_req, res) => res.writeHead(200).end());
    const port = new URL(hook.url).port;
    for (const url of [hook.url, `http://localhost:${port}/x`, `http://[::ffff:127.0.0.1]:${port}/x`]) {
      const error = await publishError(postSignedBy(strict, url, 's', 'k', {}, 2000));
      expect(error).toMatchObject({ retryable: false });
      expect(error.message).toMatch(/^refused: the receiver is an internal address/);
    }
    expect(hook.received).toHaveLength(0);
    // Allowed by name, the name's loopback address is reached.
    const byName = new OutboundHttp(OutboundPolicy.from(['localhost']));
    expect((await postSignedBy(byName, `http://localhost:${port}/x`, 's', 'k', {}, 2000)).status).toBe(200);
  });
});
