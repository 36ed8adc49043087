import { PASSWORD, signUp, uniqueEmail } from './support/factories';
import { startApi, testConfig, type TestApi } from './support/test-app';

/**
 * Failed logins as a weapon: an attacker who knows the owner's e-mail, or shares an
 * office IP with others, must not be able to keep the real person out.
 * TRUST_PROXY lets each request say which IP it comes from.
 */
describe('Login throttling', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(await testConfig({ TRUST_PROXY: '127.0.0.1' }));
  });
  afterAll(() => api.close());

  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
  const login = (email: string, password: string, ip: string) =>
    api.http.post('/v1/auth/login', { email, password }, from(ip));

  it('lets the owner in from an IP they use while an attacker elsewhere guesses their password', async () => {
    const owner = await signUp(api.http);
    expect((await login(owner.email, PASSWORD, '198.51.100.10')).status).toBe(200);
    const attacker = [];
    for (let i = 0; i < 40; i++)
      attacker.push((await login(owner.email, `guess-${i}`, `203.0.113.${i % 4}`)).status);
    expect(attacker).toContain(429);
    expect(attacker.filter((s) => s === 401).length).toBeLessThan(40);
    // Even the right password waits, from the attacker's IPs and from a new one...
    expect((await login(owner.email, PASSWORD, '203.0.113.1')).status).toBe(429);
    expect((await login(owner.email, PASSWORD, '192.0.2.99')).status).toBe(429);
    // ...but not from where the owner signs in.
    expect((await login(owner.email, PASSWORD, '198.51.100.10')).status).toBe(200);
  });

  it('does not slow down people behind an IP from which someone tries many accounts', async () => {
    const colleague = await signUp(api.http);
    expect((await login(colleague.email, PASSWORD, '198.51.100.20')).status).toBe(200);
    const stuffing = [];
    for (let i = 0; i < 40; i++)
      stuffing.push((await login(uniqueEmail(), 'leaked-password', '198.51.100.20')).status);
    expect(stuffing).toContain(429);
    expect((await login(colleague.email, PASSWORD, '198.51.100.20')).status).toBe(200);
  });
});
