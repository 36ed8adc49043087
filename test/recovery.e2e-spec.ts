import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig } from '@app/config';
import type { INestApplicationContext } from '@nestjs/common';
import { publishJobId, QueueName } from '@app/queue';
import { Queue } from 'bullmq';
import { publishingWorld } from './support/publishing-world';
import { PrivateRedis } from './support/redis-server';
import { TcpProxy } from './support/tcp-proxy';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'receiver-secret-0123456789';

/**
 * Losing Redis or the database must not make a post late or publish it twice. The
 * reconciler runs only once a minute here, so a post that goes out on time after
 * Redis restarts empty went out because the worker reconciled on reconnecting.
 */
describe('Recovering from lost services', () => {
  let redis: PrivateRedis;
  let pgProxy: TcpProxy;
  let receiver: WebhookReceiver;
  let api: TestApi;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    redis = await new PrivateRedis().start();
    receiver = await new WebhookReceiver(SECRET).start();
    const settings = {
      REDIS_URL: redis.url,
      RECONCILE_EVERY_MS: '60000',
      PUBLISHING_STUCK_MS: '600000',
      WORKER_METRICS_PORT: '0',
    };
    api = await startApi(await testConfig(settings));
    const db = new URL(api.config.databaseUrl);
    pgProxy = await new TcpProxy(db.hostname, Number(db.port)).start();
    db.host = `127.0.0.1:${pgProxy.port}`;
    // The worker reaches PostgreSQL through the proxy, so a test can cut its connections only.
    worker = await startWorker(
      loadConfig({
        ...settings,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.toString(),
        QUEUE_PREFIX: api.config.queuePrefix,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        MIGRATIONS_RUN: 'false',
        MAIL_DIR: join(tmpdir(), 'countersign-test-mail-recovery'),
      }),
    );
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await pgProxy.stop();
    await receiver.stop();
    await redis.stop();
  });

  it('publishes on time after Redis restarts empty, without waiting for the next reconcile', async () => {
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    const due = new Date(Date.now() + 4000);
    const post = await w.approvedPost(due);
    const queue = new Queue(QueueName.Publish, {
      connection: { url: redis.url },
      prefix: api.config.queuePrefix,
    });
    await waitFor(() => queue.getJob(publishJobId(post.id, 1)), { what: 'the publish job in Redis' });
    await queue.close();
    await redis.stop();
    await redis.start();
    const published = await w.untilStatus(post.id, 'published', 20_000);
    expect(new Date(published.publishedAt).getTime() - due.getTime()).toBeLessThan(5000);
    expect(receiver.forPost(post.id)).toHaveLength(1);
  }, 40_000);

  it('records the outcome once the database is back, without calling the receiver again', async () => {
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    receiver.behaviour = (n) => {
      if (n === 0) {
        // The call is made; then the worker's database connections go, for two seconds.
        void pgProxy.cut();
        setTimeout(() => void pgProxy.restore(), 2000);
      }
      return { status: 200, delayMs: 200 };
    };
    const post = await w.approvedPost(new Date(Date.now() + 1000));
    const published = await w.untilStatus(post.id, 'published', 20_000);
    expect(published.externalId).toBe(`ext-${post.id}-v1`);
    expect(receiver.forPost(post.id)).toHaveLength(1);
  }, 40_000);
});
