import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { signUp, type SignedUp } from './support/factories';
import { publishingWorld } from './support/publishing-world';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'receiver-secret-0123456789';
const INTERNAL = [
  'http://127.0.0.1:9/x',
  'http://[::1]/x',
  'http://localhost:3000/x',
  'http://0.0.0.0/x',
  'http://10.0.0.8/x',
  'http://172.16.5.4/x',
  'http://192.168.0.1/x',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00::1]/x',
  'http://[::ffff:169.254.169.254]/x',
];

/**
 * Outbound HTTP is a way into the network the product runs in: receivers may not
 * be internal addresses, by URL at save or by what a name resolves to at connect,
 * and what a receiver answers is never shown back.
 */
describe('Outbound HTTP (SSRF)', () => {
  describe('with no OUTBOUND_ALLOWED_HOSTS (the default)', () => {
    let api: TestApi;
    let worker: INestApplicationContext;
    let owner: SignedUp;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await new WebhookReceiver(SECRET).start();
      const config = await testConfig({ OUTBOUND_ALLOWED_HOSTS: '', WORKER_METRICS_PORT: '0' });
      api = await startApi(config);
      worker = await startWorker(config);
      owner = await signUp(api.http);
    });
    afterAll(async () => {
      await worker.close();
      await api.close();
      await receiver.stop();
    });
    const ws = () => `/v1/workspaces/${owner.workspaceId}`;

    it.each(INTERNAL)('refuses %s as a channel and as a webhook (400 naming the field)', async (url) => {
      const ch = await api.http.post(
        `${ws()}/channels`,
        { name: 'C', network: 'x', publisher: { kind: 'webhook', url, secret: SECRET } },
        { token: owner.token },
      );
      expect(ch.status).toBe(400);
      expect(ch.body.errors).toEqual([expect.objectContaining({ field: 'publisher.url' })]);
      const hook = await api.http.post(
        `${ws()}/webhooks`,
        { url, secret: SECRET, events: ['post.published'] },
        { token: owner.token },
      );
      expect(hook.status).toBe(400);
      expect(hook.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    });

    it('refuses credentials in a receiver URL', async () => {
      const res = await api.http.post(
        `${ws()}/channels`,
        {
          name: 'C',
          network: 'x',
          publisher: { kind: 'webhook', url: 'https://u:p@hooks.example/x', secret: SECRET },
        },
        { token: owner.token },
      );
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'publisher.url' })]);
    });

    it('does not connect when a saved name resolves to an internal address at publish time', async () => {
      const w = await publishingWorld(api.http, 'https://hooks.example/in', SECRET);
      // As if hooks.example had been rebound to loopback after the channel was saved.
      const db = new Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      await db.query(`UPDATE channels SET publisher_url = $1 WHERE id = $2`, [
        receiver.url.replace('127.0.0.1', 'localhost'),
        w.channelId,
      ]);
      await db.end();
      const post = await w.approvedPost(new Date(Date.now() + 1000));
      const failed = await w.untilStatus(post.id, 'failed');
      expect(failed.outcome.error).toMatch(/^refused: the receiver is an internal address/);
      expect(receiver.received).toHaveLength(0);
    });
  });

  describe('with the receivers allowed', () => {
    let api: TestApi;
    let worker: INestApplicationContext;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await new WebhookReceiver(SECRET).start();
      const config = await testConfig({ WORKER_METRICS_PORT: '0' });
      api = await startApi(config);
      worker = await startWorker(config);
    });
    afterAll(async () => {
      await worker.close();
      await api.close();
      await receiver.stop();
    });

    it("keeps only a refusal's status, never the receiver's body", async () => {
      receiver.behaviour = () => ({ status: 400, body: 'internal: redis at 10.0.0.5:6379 says NOAUTH' });
      const w = await publishingWorld(api.http, receiver.url, SECRET);
      const post = await w.approvedPost(new Date(Date.now() + 1000));
      const failed = await w.untilStatus(post.id, 'failed');
      expect(failed.outcome.error).toBe('answered 400');
      expect(JSON.stringify(failed)).not.toMatch(/NOAUTH|10\.0\.0\.5/);
    });

    it('signs each publish the Standard Webhooks way, verified by the standardwebhooks package', async () => {
      receiver.behaviour = () => ({ status: 200 });
      const w = await publishingWorld(api.http, receiver.url, SECRET);
      const post = await w.approvedPost(new Date(Date.now() + 1000));
      await w.untilStatus(post.id, 'published');
      const [call] = receiver.forPost(post.id);
      expect(call.headers['webhook-id']).toBe(`${post.id}-v1`);
      expect(call.headers['webhook-id']).toBe(call.headers['idempotency-key']);
      const verified = new Webhook(SECRET, { format: 'raw' }).verify(
        call.raw,
        call.headers as unknown as Record<string, string>,
      );
      expect(verified).toMatchObject({ postId: post.id, version: 1 });
      const replayed = { ...call.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) };
      expect(() =>
        new Webhook(SECRET, { format: 'raw' }).verify(
          call.raw,
          replayed as unknown as Record<string, string>,
        ),
      ).toThrow(/too old/);
    });
  });
});
