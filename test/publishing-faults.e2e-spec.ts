import { spawnApp, type AppProcess } from './support/app-process';
import { publishingWorld, type PublishingWorld } from './support/publishing-world';
import { PrivateRedis } from './support/redis-server';
import { startApi, testConfig, type TestApi } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'receiver-secret-0123456789';
const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000);

/** Workers as real processes, killed and stopped while they publish. */
describe('Publishing when workers die or stop', () => {
  let redis: PrivateRedis;
  let receiver: WebhookReceiver;
  let api: TestApi;
  let w: PublishingWorld;
  let workerEnv: Record<string, string>;
  const workers: AppProcess[] = [];

  const spawnWorker = (): AppProcess => {
    const p = spawnApp('worker', workerEnv);
    workers.push(p);
    return p;
  };

  beforeAll(async () => {
    redis = await new PrivateRedis().start();
    receiver = await new WebhookReceiver(SECRET).start();
    const settings = {
      REDIS_URL: redis.url,
      PUBLISH_RETRY_BASE_MS: '100',
      PUBLISH_LOCK_MS: '2000',
      RECONCILE_EVERY_MS: '1000',
      PUBLISHING_STUCK_MS: '4000',
      WORKER_METRICS_PORT: '0',
    };
    api = await startApi(await testConfig(settings));
    workerEnv = {
      ...settings,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: api.config.databaseUrl,
      QUEUE_PREFIX: api.config.queuePrefix,
      OUTBOUND_ALLOWED_HOSTS: api.config.outboundAllowedHosts.join(','),
    };
    w = await publishingWorld(api.http, receiver.url, SECRET);
  });
  afterAll(async () => {
    for (const p of workers)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(workers.map((p) => p.exited));
    await api.close();
    await receiver.stop();
    await redis.stop();
  });

  it('publishes once per idempotency key when the worker is SIGKILLed mid-publish and another takes over', async () => {
    // The first call hangs (the worker dies waiting); the next answers.
    receiver.behaviour = (n) => (n === 0 ? { status: 200, hang: true } : { status: 200 });
    const first = spawnWorker();
    const post = await w.approvedPost(secondsFromNow(2));
    await receiver.until(() => receiver.forPost(post.id).length === 1, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await w.status(post.id)).status).toBe('publishing');

    spawnWorker();
    await w.untilStatus(post.id, 'published', 30_000);
    const keys = new Set(receiver.forPost(post.id).map((r) => r.headers['idempotency-key']));
    expect([...keys]).toEqual([`${post.id}-v1`]);
    expect(receiver.forPost(post.id).every((r) => r.signatureValid)).toBe(true);
  }, 60_000);

  it('lets an in-flight publish finish when the worker is told to stop (SIGTERM)', async () => {
    receiver.behaviour = () => ({ status: 200, delayMs: 1500 });
    const post = await w.approvedPost(secondsFromNow(2));
    const running = workers.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    await receiver.until(() => receiver.forPost(post.id).length === 1, 30_000);
    for (const p of running) p.child.kill('SIGTERM');
    expect(await Promise.all(running.map((p) => p.exited))).toEqual(running.map(() => 0));
    expect((await w.status(post.id)).status).toBe('published');
    expect(receiver.forPost(post.id)).toHaveLength(1);
  }, 60_000);
});
