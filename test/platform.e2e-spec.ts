import { startApi, testConfig, type TestApi } from './support/test-app';

describe('Platform (HTTP basics)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('reports PostgreSQL and Redis up on /health', async () => {
    const res = await api.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await api.http.get('/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:countersign:problem:not_found',
      title: 'Not found',
      status: 404,
      detail: expect.any(String),
      code: 'not_found',
    });
  });

  it('answers malformed JSON with a problem+json 400, not a 500', async () => {
    const res = await api.http.post('/health', '{"email": ', {
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('refuses an oversized body with a problem+json 413', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(api.config.bodyLimitBytes + 1) });
    const res = await api.http.post('/health', big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('serves an OpenAPI 3 document and the Swagger UI', async () => {
    const doc = await api.http.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/health']).toBeDefined();
    const ui = await api.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('exposes Prometheus metrics: request durations by route and queue depths', async () => {
    await api.http.get('/health');
    const res = await api.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    );
    expect(res.text).toMatch(/countersign_queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
  });

  it('answers / with what this is and where to start', async () => {
    const res = await api.http.get('/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Countersign API',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      links: expect.objectContaining({ docs: '/docs', openapi: '/docs-json', health: '/health' }),
    });
    for (const link of Object.values(res.body.links as Record<string, string>).filter(
      (l) => l !== '/v1/auth/signup',
    ))
      expect((await api.http.get(link)).status).toBe(200);
  });

  it('asks for METRICS_TOKEN on /metrics when it is set', async () => {
    const token = 'a-metrics-token-of-some-length';
    const guarded = await startApi(await testConfig({ METRICS_TOKEN: token }));
    try {
      const none = await guarded.http.get('/metrics');
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('unauthenticated');
      expect((await guarded.http.get('/metrics', { token: 'wrong-token-of-the-same-len' })).status).toBe(401);
      const ok = await guarded.http.get('/metrics', { token });
      expect(ok.status).toBe(200);
      expect(ok.text).toMatch(/http_request_duration_seconds/);
    } finally {
      await guarded.close();
    }
  });

  it('echoes a sane X-Request-Id and invents one otherwise', async () => {
    const given = await api.http.get('/health', { headers: { 'x-request-id': 'trace-1234567' } });
    expect(given.headers.get('x-request-id')).toBe('trace-1234567');
    const invented = await api.http.get('/health', { headers: { 'x-request-id': 'not a sane id!' } });
    expect(invented.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers on every response', async () => {
    const res = await api.http.get('/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe('General rate limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(await testConfig({ RATE_LIMIT_PER_MINUTE: '5' }));
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After past the per-client limit, per credential, and never limits /health', async () => {
    // A window starts with a client's first request, so the limit is exact.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.http.get('/v1/me', { token: 'client-a' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await api.http.get('/v1/me', { token: 'client-a' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.body.code).toBe('rate_limited');
    // Another made-up credential from the same IP gets no fresh bucket: its 401s were counted there.
    expect((await api.http.get('/v1/me', { token: 'client-b' })).status).toBe(429);
    for (let i = 0; i < 10; i++) expect((await api.http.get('/health')).status).toBe(200);
  });
});

describe('Queue dashboard (/admin/queues)', () => {
  let api: TestApi;
  const password = 'operators-only-password';
  beforeAll(async () => {
    api = await startApi(await testConfig({ ADMIN_PASSWORD: password }));
  });
  afterAll(() => api.close());

  const basic = (user: string, pass: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
  });

  it('asks for the operators password, and lists the queues with it', async () => {
    const anonymous = await api.http.get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(
      (await api.http.get('/admin/queues/api/queues', { headers: basic('admin', 'wrong-password') })).status,
    ).toBe(401);

    const page = await api.http.get('/admin/queues', { headers: basic('admin', password) });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await api.http.get('/admin/queues/api/queues', { headers: basic('admin', password) });
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'listening',
      'mail',
      'maintenance',
      'publish',
      'webhooks',
    ]);
  });

  it('does not exist without ADMIN_PASSWORD', async () => {
    const plain = await startApi();
    try {
      expect((await plain.http.get('/admin/queues')).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
