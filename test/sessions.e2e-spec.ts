import { Client } from 'pg';
import { apiClient } from './support/api-client';
import { apiKey, PASSWORD, signUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

describe('Sessions', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const login = async (email: string, userAgent = 'jest') => {
    const res = await api.http.post(
      '/v1/auth/login',
      { email, password: PASSWORD },
      { headers: { 'user-agent': userAgent } },
    );
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string; expiresIn: number };
  };
  const refresh = (refreshToken: string) => api.http.post('/v1/auth/refresh', { refreshToken });
  const me = (token: string) => api.http.get('/v1/me', { token });

  it('rotates refresh tokens: each works once, and the new access token works', async () => {
    const person = await signUp(api.http);
    const first = await login(person.email);
    expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const renewed = await refresh(first.refreshToken);
    expect(renewed.status).toBe(200);
    expect(renewed.body.refreshToken).not.toBe(first.refreshToken);
    expect((await me(renewed.body.accessToken)).status).toBe(200);
    // The same session: the first access token still works until it expires.
    expect((await me(first.accessToken)).status).toBe(200);

    const again = await refresh(renewed.body.refreshToken);
    expect(again.status).toBe(200);
    expect((await me(again.body.accessToken)).status).toBe(200);
  });

  it('ends the whole session when a used refresh token comes back (it was copied)', async () => {
    const person = await signUp(api.http);
    const stolen = await login(person.email);
    const legit = await refresh(stolen.refreshToken);
    expect(legit.status).toBe(200);

    // The thief replays the token the person already used: refused, and the session is over for both.
    const replay = await refresh(stolen.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toMatch(/used before/);
    expect((await me(legit.body.accessToken)).status).toBe(401);
    expect((await me(stolen.accessToken)).status).toBe(401);
    expect((await refresh(legit.body.refreshToken)).status).toBe(401);
    // Other sessions of the person are untouched.
    const other = await login(person.email);
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it('lets only one of two refreshes with the same token through, and treats the other as reuse', async () => {
    const person = await signUp(api.http);
    const { refreshToken } = await login(person.email);
    const answers = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    const winner = answers.find((a) => a.status === 200)!;
    expect((await me(winner.body.accessToken)).status).toBe(401);
  });

  it('logs out: the access token and the refresh token of the session stop working at once', async () => {
    const person = await signUp(api.http);
    const session = await login(person.email);
    const other = await login(person.email);
    const out = await api.http.post('/v1/auth/logout', undefined, { token: session.accessToken });
    expect(out.status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it('lists the running sessions and ends one of them; nobody can end another person’s', async () => {
    const person = await signUp(api.http);
    const laptop = await login(person.email, 'Firefox on the laptop');
    const phone = await login(person.email, 'Safari on the phone');
    const client = apiClient(api.http, laptop.accessToken);

    const { data } = await client.GET('/v1/me/sessions');
    const mine = data!.items;
    // The sign-up's session and the two logins.
    expect(mine).toHaveLength(3);
    const current = mine.find((s) => s.current)!;
    expect(current.userAgent).toBe('Firefox on the laptop');
    expect(current.ip).toBe('127.0.0.1');
    const phoneSession = mine.find((s) => s.userAgent === 'Safari on the phone')!;
    expect(phoneSession.current).toBe(false);

    const stranger = await signUp(api.http);
    const theirs = await api.http.request('DELETE', `/v1/me/sessions/${phoneSession.id}`, {
      token: stranger.token,
    });
    expect(theirs.status).toBe(404);
    expect((await me(phone.accessToken)).status).toBe(200);

    const ended = await client.DELETE('/v1/me/sessions/{sessionId}', {
      params: { path: { sessionId: phoneSession.id } },
    });
    expect(ended.response.status).toBe(204);
    expect((await me(phone.accessToken)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    const after = await client.GET('/v1/me/sessions');
    expect(after.data!.items.map((s) => s.id)).not.toContain(phoneSession.id);
    const twice = await api.http.request('DELETE', `/v1/me/sessions/${phoneSession.id}`, {
      token: laptop.accessToken,
    });
    expect(twice.status).toBe(404);
    expect(
      (await api.http.request('DELETE', '/v1/me/sessions/not-a-uuid', { token: laptop.accessToken })).status,
    ).toBe(404);
  });

  it('is for people: API keys cannot list sessions or log out', async () => {
    const owner = await signUp(api.http);
    const key = await apiKey(api.http, owner.token, owner.workspaceId, 'editor');
    expect((await api.http.get('/v1/me/sessions', { token: key.key })).status).toBe(403);
    expect((await api.http.post('/v1/auth/logout', undefined, { token: key.key })).status).toBe(403);
    expect((await me(key.key)).status).toBe(200);
  });

  it('refuses bad refresh requests by name, and made-up tokens as 401', async () => {
    const missing = await api.http.post('/v1/auth/refresh', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'refreshToken' }));
    const extra = await api.http.post('/v1/auth/refresh', { refreshToken: 'x', userId: 'y' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
    expect((await refresh('A'.repeat(43))).status).toBe(401);
  });

  it('keeps a security log of sign-ins, sessions ended, reused refresh tokens and password changes', async () => {
    const person = await signUp(api.http);
    const laptop = await login(person.email, 'Firefox on the laptop');
    await refresh(laptop.refreshToken);
    await refresh(laptop.refreshToken);
    const phone = await login(person.email, 'Safari on the phone');
    await api.http.post('/v1/auth/logout', undefined, { token: phone.accessToken });
    await api.http.post(
      '/v1/me/password',
      { currentPassword: PASSWORD, newPassword: 'a brand new passphrase here' },
      { token: person.token },
    );

    const { data } = await apiClient(api.http, person.token).GET('/v1/me/security-events');
    const log = data!.items.map((e) => [e.action, e.detail.method ?? e.detail.reason ?? null]);
    expect(log).toEqual([
      ['password.changed', null],
      ['session.ended', 'logout'],
      ['session.started', 'password'],
      ['session.refresh_reused', null],
      ['session.started', 'password'],
      ['session.started', 'signup'],
    ]);
    expect(data!.items[2]).toMatchObject({ userAgent: 'Safari on the phone', ip: '127.0.0.1' });
    // Nobody else reads it.
    const stranger = await signUp(api.http);
    const theirs = await apiClient(api.http, stranger.token).GET('/v1/me/security-events');
    expect(theirs.data!.items.map((e) => e.action)).toEqual(['session.started']);
    // Append-only: what happened stays as it was written.
    const db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    try {
      await expect(db.query(`UPDATE account_events SET action = 'session.started'`)).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await db.end();
    }
  });

  it('keeps a lockdown: a session started before it stays out of that workspace, refreshed or not', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    // An attacker holds a session of the owner's from before the lockdown.
    const attacker = await login(owner.email);
    const locked = await api.http.post(`${ws}/lockdown`, undefined, { token: owner.token });
    expect(locked.status).toBe(200);

    expect((await api.http.get(ws, { token: attacker.accessToken })).status).toBe(401);
    const renewed = await refresh(attacker.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await api.http.get(ws, { token: renewed.body.accessToken })).status).toBe(401);

    // The owner's own session goes on, refreshed too.
    expect((await api.http.get(ws, { token: owner.token })).status).toBe(200);
    const ownerRenewed = await refresh(owner.refreshToken);
    expect((await api.http.get(ws, { token: ownerRenewed.body.accessToken })).status).toBe(200);
  });
});
