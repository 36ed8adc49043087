import { approverWorkflow, channel, draft, memberWithRole, signUp } from './support/factories';
import { startApi, testConfig, type TestApi } from './support/test-app';

const LIMIT = 6;
const forwarded = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });

/** Runs `n` requests one by one and returns their statuses. */
async function statuses(n: number, send: (i: number) => Promise<{ status: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send(i)).status);
  return out;
}

/**
 * Which IP a request comes from decides its limits and what the audit records.
 * A window may turn over in the middle of a run, so each check sends enough
 * requests to pass the limit twice and asks for 429s, not for the exact one.
 */
describe('The client IP', () => {
  describe('with no TRUST_PROXY (the default)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi(await testConfig({ RATE_LIMIT_PER_MINUTE: String(LIMIT) }));
    });
    afterAll(() => api.close());

    it('ignores X-Forwarded-For: a new header value per request gets no fresh bucket', async () => {
      const got = await statuses(2 * LIMIT + 2, (i) => api.http.get('/v1/me', { headers: forwarded(i) }));
      expect(got.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    });

    it('counts bad credentials against the IP: a new made-up token per request gets no fresh bucket', async () => {
      const got = await statuses(2 * LIMIT + 2, (i) =>
        api.http.get('/v1/me', { token: `made-up-${i}`, headers: forwarded(i) }),
      );
      expect(got.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      expect(got.filter((s) => s === 401).length).toBeLessThanOrEqual(2 * LIMIT);
    });
  });

  describe('with TRUST_PROXY=1 (behind one proxy)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi(await testConfig({ RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: '1' }));
    });
    afterAll(() => api.close());

    it("counts each client by the proxy's X-Forwarded-For", async () => {
      const got = await statuses(2 * LIMIT, (i) => api.http.get('/v1/me', { headers: forwarded(100 + i) }));
      expect(got.every((s) => s === 401)).toBe(true);
    });
  });

  it.each([
    ['no TRUST_PROXY', {}, '127.0.0.1'],
    ['TRUST_PROXY=127.0.0.1', { TRUST_PROXY: '127.0.0.1' }, '198.51.100.7'],
  ])('records in the audit the IP of a decision: %s', async (_what, settings, ip) => {
    const api = await startApi(await testConfig(settings));
    try {
      const owner = await signUp(api.http);
      const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await approverWorkflow(api.http, owner.token, owner.workspaceId);
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
      const approved = await api.http.post(
        `${ws}/posts/${post.id}/approvals`,
        { decision: 'approve', version: 1 },
        { token: approver.token, headers: { 'x-forwarded-for': '198.51.100.7' } },
      );
      expect(approved.status).toBe(201);
      const audit = await api.http.get(`${ws}/audit?postId=${post.id}`, { token: owner.token });
      const signed = audit.body.items.find((e: any) => e.action === 'post.signed_off');
      expect(signed.ip).toBe(ip);
    } finally {
      await api.close();
    }
  });
});
