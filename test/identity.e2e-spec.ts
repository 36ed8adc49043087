import { Client } from 'pg';
import { apiKey, memberWithRole, PASSWORD, signUp, uniqueEmail } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

describe('Identity: sign-up, log-in, members, API keys', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>(sql, params);
      return Number(rows[0].n);
    } finally {
      await db.end();
    }
  };

  describe('sign-up and log-in', () => {
    it('signs up a user with a first workspace they own, and logs them in', async () => {
      const email = uniqueEmail('maya');
      const res = await api.http.post('/v1/auth/signup', {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
        name: 'Maya',
        workspaceName: 'Acme Coffee',
        timezone: 'europe/paris',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        user: { email, name: 'Maya' },
        workspace: { name: 'Acme Coffee', timezone: 'Europe/Paris', role: 'owner' },
      });

      const login = await api.http.post('/v1/auth/login', { email: email.toUpperCase(), password: PASSWORD });
      expect(login.status).toBe(200);
      const me = await api.http.get('/v1/me', { token: login.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.user.email).toBe(email);
      expect(me.body.memberships).toEqual([
        {
          role: 'owner',
          workspace: expect.objectContaining({ id: res.body.workspace.id, name: 'Acme Coffee' }),
        },
      ]);
    });

    it('refuses a second account with the same e-mail in another case (409), creating nothing', async () => {
      const first = await signUp(api.http);
      const before = await count('SELECT count(*) AS n FROM workspaces');
      const res = await api.http.post('/v1/auth/signup', {
        email: first.email.toUpperCase(),
        password: PASSWORD,
        name: 'Again',
        workspaceName: 'Dup',
      });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual([{ field: 'email', message: 'is already registered' }]);
      expect(await count('SELECT count(*) AS n FROM workspaces')).toBe(before);
    });

    it('answers a wrong e-mail and a wrong password identically', async () => {
      const user = await signUp(api.http);
      const wrongPassword = await api.http.post('/v1/auth/login', {
        email: user.email,
        password: 'not the password',
      });
      const wrongEmail = await api.http.post('/v1/auth/login', { email: uniqueEmail(), password: PASSWORD });
      expect(wrongPassword.status).toBe(401);
      expect(wrongEmail.status).toBe(401);
      expect(wrongEmail.body).toEqual(wrongPassword.body);
    });

    it('slows down repeated failures with a growing wait (429, Retry-After), then lets the right password in', async () => {
      const user = await signUp(api.http);
      for (let i = 0; i < 5; i++) {
        expect(
          (await api.http.post('/v1/auth/login', { email: user.email, password: `wrong-${i}` })).status,
        ).toBe(401);
      }
      const blocked = await api.http.post('/v1/auth/login', { email: user.email, password: PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('rate_limited');
      const wait = Number(blocked.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(2);
      // The wait is the rule here, not a race: nothing but time ends it.
      await new Promise((r) => setTimeout(r, wait * 1000));
      expect((await api.http.post('/v1/auth/login', { email: user.email, password: PASSWORD })).status).toBe(
        200,
      );
    });

    it.each(['password123', 'Password1!', 'qwertyuiop123', 'iloveyou2024'])(
      'refuses the common password %s at sign-up, naming the field',
      async (password) => {
        const res = await api.http.post('/v1/auth/signup', {
          email: uniqueEmail(),
          password,
          name: 'N',
          workspaceName: 'W',
        });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
      },
    );

    it('refuses requests without a valid token', async () => {
      expect((await api.http.get('/v1/me')).status).toBe(401);
      expect((await api.http.get('/v1/me', { token: 'not.a.jwt' })).status).toBe(401);
      expect((await api.http.get('/v1/me', { token: 'csk_unknownkey' })).status).toBe(401);
    });

    it('does not let a password-less member (an outside reviewer) log in', async () => {
      const owner = await signUp(api.http);
      const email = uniqueEmail('client');
      await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/members`,
        { email, role: 'reviewer' },
        { token: owner.token },
      );
      const res = await api.http.post('/v1/auth/login', { email, password: 'anything at all' });
      expect(res.status).toBe(401);
    });
  });

  describe('bad input', () => {
    const signupBody = () => ({ email: uniqueEmail(), password: PASSWORD, name: 'N', workspaceName: 'W' });

    it.each([
      ['email', { email: 'not-an-email' }],
      ['password', { password: 'short' }],
      ['timezone', { timezone: 'Mars/Olympus' }],
      ['timezone', { timezone: '+02:00' }],
      ['name', { name: '   ' }],
      ['isAdmin', { isAdmin: true }],
    ])('refuses sign-up with a bad %s, naming it, creating nothing', async (field, patch) => {
      const users = await count('SELECT count(*) AS n FROM users');
      const res = await api.http.post('/v1/auth/signup', { ...signupBody(), ...patch });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count('SELECT count(*) AS n FROM users')).toBe(users);
    });

    it('refuses an oversized body with 413', async () => {
      const res = await api.http.post('/v1/auth/signup', { ...signupBody(), name: 'x'.repeat(300_000) });
      expect(res.status).toBe(413);
    });

    it('refuses an unknown role and a malformed member e-mail, naming the field', async () => {
      const owner = await signUp(api.http);
      const path = `/v1/workspaces/${owner.workspaceId}/members`;
      const badRole = await api.http.post(
        path,
        { email: uniqueEmail(), role: 'superuser' },
        { token: owner.token },
      );
      expect(badRole.status).toBe(400);
      expect(badRole.body.errors[0]).toMatchObject({ field: 'role' });
      const badEmail = await api.http.post(path, { email: 'nope', role: 'editor' }, { token: owner.token });
      expect(badEmail.status).toBe(400);
      expect(badEmail.body.errors[0]).toMatchObject({ field: 'email' });
      const keyRole = await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/api-keys`,
        { name: 'k', role: 'admin' },
        { token: owner.token },
      );
      expect(keyRole.status).toBe(400);
      expect(keyRole.body.errors[0]).toMatchObject({ field: 'role' });
    });

    it('refuses a bad workspace time zone', async () => {
      const owner = await signUp(api.http);
      const res = await api.http.post(
        '/v1/workspaces',
        { name: 'X', timezone: 'Nowhere/Land' },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('timezone');
    });
  });

  describe('members', () => {
    it('adds a person without an account as a password-less user, and lists them', async () => {
      const owner = await signUp(api.http);
      const email = uniqueEmail('client');
      const res = await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/members`,
        { email, name: 'Client Person', role: 'reviewer' },
        { token: owner.token },
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, name: 'Client Person', role: 'reviewer', canLogIn: false });
      const list = await api.http.get(`/v1/workspaces/${owner.workspaceId}/members`, { token: owner.token });
      expect(list.body.items.map((m: { email: string }) => m.email).sort()).toEqual(
        [email, owner.email].sort(),
      );
      const again = await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/members`,
        { email, role: 'editor' },
        { token: owner.token },
      );
      expect(again.status).toBe(409);
    });

    it('never leaves a workspace without an owner', async () => {
      const owner = await signUp(api.http);
      const path = `/v1/workspaces/${owner.workspaceId}/members/${owner.userId}`;
      expect((await api.http.patch(path, { role: 'admin' }, { token: owner.token })).status).toBe(409);
      expect((await api.http.delete(path, { token: owner.token })).status).toBe(409);
    });

    it('keeps one owner when two owners demote each other at the same moment', async () => {
      const a = await signUp(api.http);
      const b = await memberWithRole(api.http, a.token, a.workspaceId, 'owner');
      const path = (id: string) => `/v1/workspaces/${a.workspaceId}/members/${id}`;
      const results = await Promise.all([
        api.http.patch(path(b.userId), { role: 'editor' }, { token: a.token }),
        api.http.patch(path(a.userId), { role: 'editor' }, { token: b.token }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, expect.any(Number)]);
      expect(
        await count("SELECT count(*) AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'", [
          a.workspaceId,
        ]),
      ).toBe(1);
    });

    it('lets only an owner grant the owner role', async () => {
      const owner = await signUp(api.http);
      const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const res = await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/members`,
        { email: uniqueEmail(), role: 'owner' },
        { token: admin.token },
      );
      expect(res.status).toBe(403);
      const demote = await api.http.patch(
        `/v1/workspaces/${owner.workspaceId}/members/${owner.userId}`,
        { role: 'editor' },
        { token: admin.token },
      );
      expect(demote.status).toBe(403);
    });

    it('refuses a removed member on their very next request, and a demoted one at once', async () => {
      const owner = await signUp(api.http);
      const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      expect((await api.http.get(ws, { token: editor.token })).status).toBe(200);
      expect((await api.http.delete(`${ws}/members/${editor.userId}`, { token: owner.token })).status).toBe(
        204,
      );
      expect((await api.http.get(ws, { token: editor.token })).status).toBe(404);

      expect((await api.http.get(`${ws}/api-keys`, { token: admin.token })).status).toBe(200);
      await api.http.patch(`${ws}/members/${admin.userId}`, { role: 'approver' }, { token: owner.token });
      expect((await api.http.get(`${ws}/api-keys`, { token: admin.token })).status).toBe(403);
    });
  });

  describe('API keys', () => {
    it('shows the key once, lists it without the secret, and refuses it right after revocation', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const created = await api.http.post(
        `${ws}/api-keys`,
        { name: 'Scheduler', role: 'editor' },
        { token: owner.token },
      );
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
      expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

      const list = await api.http.get(`${ws}/api-keys`, { token: owner.token });
      expect(list.body.items).toEqual([
        expect.objectContaining({ id: created.body.id, name: 'Scheduler', revokedAt: null }),
      ]);
      expect(list.text).not.toContain(created.body.key);
      expect(
        await count('SELECT count(*) AS n FROM api_keys WHERE secret_hash::text LIKE $1', [
          `%${created.body.key}%`,
        ]),
      ).toBe(0);

      const me = await api.http.get('/v1/me', { token: created.body.key });
      expect(me.body.apiKey).toMatchObject({
        id: created.body.id,
        role: 'editor',
        workspace: { id: owner.workspaceId },
      });

      expect(
        (await api.http.delete(`${ws}/api-keys/${created.body.id}`, { token: owner.token })).status,
      ).toBe(204);
      expect((await api.http.get(ws, { token: created.body.key })).status).toBe(401);
    });

    it('cannot manage keys or members, nor create workspaces', async () => {
      const owner = await signUp(api.http);
      const key = await apiKey(api.http, owner.token, owner.workspaceId, 'editor');
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      expect(
        (await api.http.post(`${ws}/api-keys`, { name: 'x', role: 'editor' }, { token: key.key })).status,
      ).toBe(403);
      expect(
        (await api.http.post(`${ws}/members`, { email: uniqueEmail(), role: 'editor' }, { token: key.key }))
          .status,
      ).toBe(403);
      expect((await api.http.post('/v1/workspaces', { name: 'Mine' }, { token: key.key })).status).toBe(403);
    });
  });
});
