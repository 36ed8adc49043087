import type { Client } from 'pg';
import { totpCode } from '../apps/api/src/mfa/totp';
import {
  apiKey,
  approverWorkflow,
  channel,
  draft,
  memberWithRole,
  PASSWORD,
  signUp,
} from './support/factories';
import { MEMBER_ADDED_MAIL, type SmtpSink } from './support/smtp-sink';
import type { TestApi } from './support/test-app';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { waitFor } from './support/wait-for';

/** A code of the step after now: accepted (the window is one step), and not the one enrolment spent. */
const nextCode = (secret: string, steps = 1) => totpCode(secret, Date.now() + steps * 30_000);

describe('Two-factor sign-in', () => {
  let world: MailWorld;
  let smtp: SmtpSink;
  let api: TestApi;
  let db: Client;

  beforeAll(async () => {
    world = await startMailWorld({}, MEMBER_ADDED_MAIL);
    ({ smtp, api, db } = world);
  });
  afterAll(() => world.close());

  const login = (email: string) => api.http.post('/v1/auth/login', { email, password: PASSWORD });
  const loginMfa = (mfaToken: string, code: string) =>
    api.http.post('/v1/auth/login/mfa', { mfaToken, code });

  /** Turns TOTP on for the session of `token`; its secret and recovery codes. */
  async function enroll(token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const begun = await api.http.post('/v1/me/mfa/totp', undefined, { token });
    expect(begun.status).toBe(201);
    const confirmed = await api.http.post(
      '/v1/me/mfa/totp/confirm',
      { code: totpCode(begun.body.secret) },
      { token },
    );
    expect(confirmed.status).toBe(200);
    return { secret: begun.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
  }

  it('enrols with a first code, keeps the secret sealed, and hands out ten recovery codes once', async () => {
    const person = await signUp(api.http);
    const begun = await api.http.post('/v1/me/mfa/totp', undefined, { token: person.token });
    expect(begun.status).toBe(201);
    const { secret, otpauthUrl, qrCode } = begun.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new URL(otpauthUrl).searchParams.get('secret')).toBe(secret);
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrCode.split(',')[1], 'base64').toString()).toMatch(/^<svg[^>]*>.*<path/s);

    const wrong = await api.http.post('/v1/me/mfa/totp/confirm', { code: '000000' }, { token: person.token });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'code' })]);
    expect((await api.http.get('/v1/me', { token: person.token })).body.totpEnabled).toBe(false);

    const confirmed = await api.http.post(
      '/v1/me/mfa/totp/confirm',
      { code: totpCode(secret) },
      { token: person.token },
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await api.http.get('/v1/me', { token: person.token })).body.totpEnabled).toBe(true);
    expect((await api.http.post('/v1/me/mfa/totp', undefined, { token: person.token })).status).toBe(409);

    const stored = await db.query(`SELECT totp_secret FROM users WHERE id = $1`, [person.userId]);
    expect(stored.rows[0].totp_secret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(stored.rows[0].totp_secret).not.toContain(secret);
    const codes = await db.query(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [person.userId]);
    expect(codes.rowCount).toBe(10);
    expect(JSON.stringify(codes.rows)).not.toContain(confirmed.body.recoveryCodes[0]);
    const [told] = await waitFor(() =>
      smtp.to(person.email).length > 0 ? smtp.to(person.email) : undefined,
    );
    expect(told.subject).toBe('Two-factor sign-in was turned on for your Countersign account');
  });

  it('asks for a code at login, takes each code once, and each recovery code once', async () => {
    const person = await signUp(api.http);
    const { secret, recoveryCodes } = await enroll(person.token);

    const first = await login(person.email);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), expiresIn: 300 });
    // The challenge is no access token.
    expect((await api.http.get('/v1/me', { token: first.body.mfaToken })).status).toBe(401);

    const code = nextCode(secret);
    const done = await loginMfa(first.body.mfaToken, code);
    expect(done.status).toBe(200);
    expect((await api.http.get('/v1/me', { token: done.body.accessToken })).status).toBe(200);
    // The same code again, even with a fresh challenge, is refused: its time step is spent.
    const second = await login(person.email);
    const replay = await loginMfa(second.body.mfaToken, code);
    expect(replay.status).toBe(403);
    // So is the code of the step before (the window does not go backwards past a spent step).
    expect((await loginMfa(second.body.mfaToken, totpCode(secret))).status).toBe(403);

    const recovered = await loginMfa(second.body.mfaToken, recoveryCodes[0].toUpperCase());
    expect(recovered.status).toBe(200);
    const third = await login(person.email);
    expect((await loginMfa(third.body.mfaToken, recoveryCodes[0])).status).toBe(403);
    expect((await loginMfa('not-a-token', recoveryCodes[1])).status).toBe(401);
    expect((await loginMfa(done.body.accessToken, recoveryCodes[1])).status).toBe(401);
  });

  it('slows down code guessing as it does password guessing', async () => {
    const person = await signUp(api.http);
    await enroll(person.token);
    const { mfaToken } = (await login(person.email)).body;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await loginMfa(mfaToken, String(100000 + i))).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.at(-1)).toBe(429);
  });

  it('turns off with a code, and is told by mail', async () => {
    const person = await signUp(api.http);
    const { secret } = await enroll(person.token);
    const turnOff = (code: unknown) =>
      api.http.request('DELETE', '/v1/me/mfa/totp', { token: person.token, body: { code } });
    expect((await turnOff('123456')).status).toBe(403);
    expect((await turnOff(12)).status).toBe(400);
    expect((await turnOff(nextCode(secret))).status).toBe(204);
    expect((await api.http.get('/v1/me', { token: person.token })).body.totpEnabled).toBe(false);
    const plain = await login(person.email);
    expect(plain.body.accessToken).toBeDefined();
    expect((await turnOff(nextCode(secret, -1))).status).toBe(409);
    await waitFor(() => (smtp.to(person.email).length >= 2 ? true : undefined));
    expect(smtp.to(person.email).map((m) => m.subject)).toContain(
      'Two-factor sign-in was turned off for your Countersign account',
    );
  });

  describe('a workspace that asks roles for a second factor', () => {
    it('is set by owners only, and not so as to shut the owner out', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const patch = (token: string, body: unknown) => api.http.request('PATCH', ws, { token, body });

      const byAdmin = await patch(admin.token, { requireMfaFor: ['editor'] });
      expect(byAdmin.status).toBe(403);
      expect(byAdmin.body.errors).toEqual([expect.objectContaining({ field: 'requireMfaFor' })]);
      const selfLocking = await patch(owner.token, { requireMfaFor: ['owner', 'admin'] });
      expect(selfLocking.status).toBe(409);
      expect(selfLocking.body.errors).toEqual([expect.objectContaining({ field: 'requireMfaFor' })]);
      for (const bad of [['reviewer'], ['admin', 'admin'], 'admin', [null]]) {
        expect((await patch(owner.token, { requireMfaFor: bad })).status).toBe(400);
      }
      expect((await api.http.get(ws, { token: owner.token })).body.requireMfaFor).toEqual([]);

      await enroll(owner.token);
      const set = await patch(owner.token, { requireMfaFor: ['owner', 'admin'] });
      expect(set.status).toBe(200);
      expect(set.body.requireMfaFor).toEqual(['owner', 'admin']);
      // The admin may still rename it, once they have a second factor.
      expect((await patch(admin.token, { name: 'Renamed' })).status).toBe(403);
      await enroll(admin.token);
      expect((await patch(admin.token, { name: 'Renamed' })).status).toBe(200);
      const audit = await api.http.get(`${ws}/audit`, { token: owner.token });
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('workspace.updated');
    });

    it('keeps an admin without one from approving, pausing, resuming and locking down until they enrol', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      await api.http.post(
        `${ws}/workflows`,
        {
          name: 'Admins',
          isDefault: true,
          stages: [{ name: 'S', approvers: { roles: ['admin'] }, required: 1 }],
        },
        { token: owner.token },
      );
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const post = await draft(api.http, editor.token, owner.workspaceId, { channelId: ch.id });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: editor.token });
      const oldSession = (await login(admin.email)).body.accessToken as string;

      await enroll(owner.token);
      expect(
        (await api.http.request('PATCH', ws, { token: owner.token, body: { requireMfaFor: ['admin'] } }))
          .status,
      ).toBe(200);

      const attempts = async (token: string) => [
        (await api.http.get(ws, { token })).status,
        (
          await api.http.post(
            `${ws}/posts/${post.id}/approvals`,
            { decision: 'approve', version: 1 },
            { token },
          )
        ).status,
        (await api.http.post(`${ws}/pause`, { reason: 'test' }, { token })).status,
        (await api.http.post(`${ws}/resume`, undefined, { token })).status,
        (await api.http.post(`${ws}/lockdown`, undefined, { token })).status,
      ];
      const refused = await api.http.post(`${ws}/pause`, { reason: 'test' }, { token: admin.token });
      expect(refused.body.code).toBe('mfa_required');
      expect(await attempts(admin.token)).toEqual([403, 403, 403, 403, 403]);
      // They can still reach their own account, to enrol.
      expect((await api.http.get('/v1/me', { token: admin.token })).status).toBe(200);

      const { secret, recoveryCodes } = await enroll(admin.token);
      expect((await api.http.get(ws, { token: admin.token })).status).toBe(200);
      const signed = await api.http.post(
        `${ws}/posts/${post.id}/approvals`,
        { decision: 'approve', version: 1 },
        { token: admin.token },
      );
      expect(signed.status).toBe(201);
      // A session opened before, without the second factor, stays out; a login with a code gets in.
      expect((await api.http.get(ws, { token: oldSession })).status).toBe(403);
      const challenge = (await login(admin.email)).body;
      const withCode = (await loginMfa(challenge.mfaToken, nextCode(secret))).body.accessToken as string;
      expect((await api.http.get(ws, { token: withCode })).status).toBe(200);
      // Turning the second factor off shuts every session of theirs out again.
      const off = await api.http.request('DELETE', '/v1/me/mfa/totp', {
        token: withCode,
        body: { code: recoveryCodes[0] },
      });
      expect(off.status).toBe(204);
      expect((await api.http.get(ws, { token: withCode })).status).toBe(403);
      // Editors were not asked: theirs works throughout.
      expect((await api.http.get(ws, { token: editor.token })).status).toBe(200);
    });

    it("refuses an API key whose creator's role needs a second factor they have not turned on", async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const key = await apiKey(api.http, admin.token, owner.workspaceId, 'editor');
      expect((await api.http.get(`${ws}/posts`, { token: key.key })).status).toBe(200);

      await enroll(owner.token);
      await api.http.request('PATCH', ws, { token: owner.token, body: { requireMfaFor: ['admin'] } });
      const refused = await api.http.get(`${ws}/posts`, { token: key.key });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('mfa_required');
      await enroll(admin.token);
      expect((await api.http.get(`${ws}/posts`, { token: key.key })).status).toBe(200);
    });

    it('sends such roles no review link, and takes no sign-off from a link sent before', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      await approverWorkflow(api.http, owner.token, owner.workspaceId);
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const submitted = async (text: string) => {
        const post = await draft(api.http, editor.token, owner.workspaceId, { channelId: ch.id, text });
        await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: editor.token });
        return post;
      };
      const mails = (count: number) =>
        waitFor(() => (smtp.to(approver.email).length >= count ? smtp.to(approver.email) : undefined));

      // A link sent before the rule: it shows why, and takes nothing.
      const before = await submitted('Sent before the rule');
      const [first] = await mails(1);
      const link = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(first.text ?? '')![1];
      await enroll(owner.token);
      await api.http.request('PATCH', ws, { token: owner.token, body: { requireMfaFor: ['approver'] } });
      const page = await api.http.get(link);
      expect(page.status).toBe(403);
      expect(page.text).toMatch(/two-factor sign-in/);
      const tried = await api.http.request('POST', link, {
        body: 'decision=approve&csrf=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(tried.status).toBe(403);
      expect((await api.http.get(`${ws}/posts/${before.id}`, { token: owner.token })).body.status).toBe(
        'in_review',
      );

      // After the rule, the request says to sign in, and carries no link at all.
      await submitted('Sent after the rule');
      const [, second] = await mails(2);
      expect(second.text).toContain('Sent after the rule');
      expect(second.text).toMatch(/Sign in to Countersign to review it/);
      expect(second.text).not.toMatch(/\/review\//);
      expect(second.html).not.toMatch(/\/review\//);
    });
  });

  it('refuses bad codes and fields by name', async () => {
    const person = await signUp(api.http);
    const short = await api.http.post('/v1/me/mfa/totp/confirm', { code: '12' }, { token: person.token });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'code' })]);
    const nothing = await api.http.post(
      '/v1/me/mfa/totp/confirm',
      { code: '123456' },
      { token: person.token },
    );
    expect(nothing.status).toBe(409);
    const extra = await api.http.post('/v1/auth/login/mfa', { mfaToken: 'x', code: '123456', userId: 'y' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toContainEqual(expect.objectContaining({ field: 'userId' }));
    const key = await apiKey(api.http, person.token, person.workspaceId, 'editor');
    expect((await api.http.post('/v1/me/mfa/totp', undefined, { token: key.key })).status).toBe(403);
  });
});
