import { freePort, spawnApp, type AppProcess } from './support/app-process';
import { PrivateRedis } from './support/redis-server';
import { testConfig } from './support/test-app';
import { waitFor } from './support/wait-for';

/** A stop must end: whatever Redis is doing, within the grace, and at once on a second signal. */
describe('Stopping a process', () => {
  let redis: PrivateRedis;
  const started: AppProcess[] = [];
  beforeEach(async () => {
    redis = await new PrivateRedis().start();
  });
  afterEach(async () => {
    for (const p of started.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
    await redis.stop();
  });

  /** A worker against its own Redis, up once its metrics port answers. */
  async function runningWorker(graceMs: number): Promise<AppProcess> {
    const config = await testConfig();
    const port = await freePort();
    const p = spawnApp('worker', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: config.queuePrefix,
      WORKER_METRICS_PORT: String(port),
      SHUTDOWN_GRACE_MS: String(graceMs),
    });
    started.push(p);
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/metrics`)).ok ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the worker to be up',
    });
    return p;
  }

  it('exits within SHUTDOWN_GRACE_MS after SIGTERM while its Redis is gone', async () => {
    const worker = await runningWorker(2000);
    await redis.stop();
    const at = Date.now();
    worker.child.kill('SIGTERM');
    await worker.exited;
    expect(Date.now() - at).toBeLessThan(2000 + 3000);
    expect(worker.output()).toMatch(/SIGTERM received/);
  }, 90_000);

  it('exits at once on a second signal', async () => {
    const worker = await runningWorker(120_000);
    await redis.stop();
    worker.child.kill('SIGTERM');
    await waitFor(() => (/SIGTERM received/.test(worker.output()) ? true : undefined), {
      what: 'the first stop',
    });
    const at = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(1);
    expect(Date.now() - at).toBeLessThan(3000);
  }, 90_000);
});
