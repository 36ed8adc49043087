import { PASSWORD, signUp } from './support/factories';
import { TcpProxy } from './support/tcp-proxy';
import { startApi, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

/** PostgreSQL and Redis are reached through proxies that the test cuts and restores. */
describe('GET /health when a dependency goes away', () => {
  let api: TestApi;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;

  beforeAll(async () => {
    pgProxy = await new TcpProxy('127.0.0.1', 5432).start();
    redisProxy = await new TcpProxy('127.0.0.1', 6379).start();
    const base = await testConfig();
    const viaProxy = (url: string, port: number) =>
      Object.assign(new URL(url), { port: String(port) }).toString();
    api = await startApi(
      await testConfig({
        DATABASE_URL: viaProxy(base.databaseUrl, pgProxy.port),
        REDIS_URL: viaProxy(base.redisUrl, redisProxy.port),
      }),
    );
  });
  afterAll(async () => {
    await api.close();
    await pgProxy.stop();
    await redisProxy.stop();
  });

  const health = () => api.http.get('/health');
  const until = (status: number) =>
    waitFor(async () => ((await health()).status === status ? true : undefined), {
      what: `/health ${status}`,
    });

  it('turns 503 naming Redis when Redis stops, without crashing, and 200 when it is back', async () => {
    expect((await health()).status).toBe(200);
    const owner = await signUp(api.http);
    await redisProxy.cut();
    await until(503);
    const down = await health();
    expect(down.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    expect(down.body.info.postgres.status).toBe('up');
    // The rate limit and the login throttle count in Redis; without it they let requests through.
    expect((await api.http.get('/v1/me', { token: owner.token })).status).toBe(200);
    expect((await api.http.post('/v1/auth/login', { email: owner.email, password: PASSWORD })).status).toBe(
      200,
    );

    await redisProxy.restore();
    await until(200);
  });

  it('turns 503 naming PostgreSQL when PostgreSQL stops, and 200 when it is back', async () => {
    await pgProxy.cut();
    await until(503);
    const down = await health();
    expect(down.body).toMatchObject({ status: 'error', error: { postgres: { status: 'down' } } });

    await pgProxy.restore();
    await until(200);
  });
});
