import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Client } from 'pg';
import { totpCode } from '../apps/api/src/mfa/totp';
import { memberWithRole, PASSWORD, signUp, uniqueEmail } from './support/factories';
import type { SmtpSink } from './support/smtp-sink';
import { startMailWorld, type MailWorld } from './support/mail-world';
import type { TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

const PUBLIC_URL = 'https://countersign.example';
const FRONTEND = 'https://app.brand.example';

/** The test identity provider (test/support/oidc-idp.mjs) in its own process; resolves with its issuer URL. */
async function startIdp(): Promise<{ issuer: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [resolve(__dirname, 'support/oidc-idp.mjs')], {
    env: {
      ...process.env,
      CLIENT_ID: 'countersign',
      CLIENT_SECRET: 'a-client-secret-for-tests',
      REDIRECT_URI: `${PUBLIC_URL}/v1/auth/oidc/callback`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<string>((ok, fail) => {
    child.stdout?.on('data', (d: Buffer) => {
      const match = /listening (\d+)/.exec(d.toString());
      if (match) ok(match[1]);
    });
    child.on('exit', (code) => fail(new Error(`the identity provider exited (${code}): ${out}`)));
  });
  return { issuer: `http://127.0.0.1:${port}`, child };
}

describe('Single sign-on (OpenID Connect)', () => {
  let idp: { issuer: string; child: ChildProcess };
  let world: MailWorld;
  let api: TestApi;
  let smtp: SmtpSink;
  let db: Client;

  beforeAll(async () => {
    idp = await startIdp();
    world = await startMailWorld({
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: 'countersign',
      OIDC_CLIENT_SECRET: 'a-client-secret-for-tests',
      CORS_ORIGINS: FRONTEND,
    });
    ({ api, smtp, db } = world);
  });
  afterAll(async () => {
    await world?.close();
    idp?.child.kill();
  });

  /**
   * A browser's trip: our start, the provider (which signs in `login_hint` without a
   * form), back to our callback. `tamper` may change the URL that goes to the
   * provider; the answer of our callback is returned (not followed).
   */
  async function signIn(
    query: Record<string, string>,
    options: { tamper?: (authorize: URL) => void; cookie?: (ours: string) => string } = {},
  ): Promise<Response> {
    const start = await fetch(
      `${api.http.baseUrl}/v1/auth/oidc/start?${new URLSearchParams(query).toString()}`,
      {
        redirect: 'manual',
      },
    );
    expect(start.status).toBe(302);
    const ours = /cs_oidc=([^;]+)/.exec(start.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(idp.issuer);
    options.tamper?.(authorize);

    const jar = new Map<string, string>();
    let next = authorize.href;
    for (let hop = 0; hop < 10 && next.startsWith(idp.issuer); hop++) {
      const res = await fetch(next, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = pair.split('=');
        jar.set(name, value.join('='));
      }
      next = new URL(res.headers.get('location') ?? '', next).href;
    }
    const back = new URL(next);
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/v1/auth/oidc/callback`);
    const cookie = options.cookie ? options.cookie(ours) : `cs_oidc=${ours}`;
    const callback = () =>
      fetch(`${api.http.baseUrl}/v1/auth/oidc/callback${back.search}`, {
        redirect: 'manual',
        headers: { cookie },
      });
    const answer = await callback();
    replay = callback;
    return answer;
  }
  /** The last sign-in's callback, sent again as it was (the browser's back button, or a thief). */
  let replay: () => Promise<Response>;

  it('signs in the account of the verified e-mail, with PKCE, state and nonce, and makes no membership', async () => {
    const person = await signUp(api.http);
    const start = await fetch(`${api.http.baseUrl}/v1/auth/oidc/start`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(start.headers.get('set-cookie')).toMatch(
      /cs_oidc=[^;]+; Path=\/v1\/auth\/oidc; Max-Age=600; HttpOnly; SameSite=Lax; Secure/,
    );

    const answer = await signIn({ loginHint: person.email });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { accessToken: string; refreshToken: string };
    const me = await api.http.get('/v1/me', { token: body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(person.email);
    expect(me.body.memberships).toHaveLength(1);
    const sessions = await api.http.get('/v1/me/sessions', { token: body.accessToken });
    expect(sessions.body.items.find((s: { current: boolean }) => s.current).secondFactor).toBe(false);
  });

  it('takes an address over from whoever signed up with it first: their password and sessions end', async () => {
    // Someone registered the address before its owner ever used Countersign.
    const squatter = await signUp(api.http);
    const answer = await signIn({ loginHint: squatter.email });
    expect(answer.status).toBe(200);
    const owner = (await answer.json()) as { accessToken: string };
    expect((await api.http.get('/v1/me', { token: squatter.token })).status).toBe(401);
    const byPassword = await api.http.post('/v1/auth/login', { email: squatter.email, password: PASSWORD });
    expect(byPassword.status).toBe(401);
    // Proved now: signing in again ends nobody's session.
    expect((await signIn({ loginHint: squatter.email })).status).toBe(200);
    expect((await api.http.get('/v1/me', { token: owner.accessToken })).status).toBe(200);
  });

  it('sends the browser back to the frontend with the tokens in the fragment, and only to the frontend', async () => {
    const person = await signUp(api.http);
    const answer = await signIn({ loginHint: person.email, returnTo: `${FRONTEND}/signed-in` });
    expect(answer.status).toBe(302);
    const to = new URL(answer.headers.get('location') ?? '');
    expect(to.origin + to.pathname).toBe(`${FRONTEND}/signed-in`);
    const tokens = new URLSearchParams(to.hash.slice(1));
    expect((await api.http.get('/v1/me', { token: tokens.get('accessToken') ?? '' })).status).toBe(200);

    const elsewhere = await api.http.get(
      `/v1/auth/oidc/start?returnTo=${encodeURIComponent('https://evil.example/x')}`,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors).toEqual([expect.objectContaining({ field: 'returnTo' })]);
  });

  it('refuses a bad state, a state used twice, and a sign-in finished in another browser', async () => {
    const person = await signUp(api.http);
    const forged = await signIn(
      { loginHint: person.email },
      { tamper: (u) => u.searchParams.set('state', 'made-up') },
    );
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({ field: 'state' }),
    ]);

    const otherBrowser = await signIn({ loginHint: person.email }, { cookie: () => 'cs_oidc=someone-elses' });
    expect(otherBrowser.status).toBe(400);

    // A callback URL replayed after it worked once.
    const once = await signIn({ loginHint: person.email });
    expect(once.status).toBe(200);
    const again = await replay();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/state: is unknown, used/);
  });

  it('refuses an ID token whose nonce is not the one this sign-in asked for', async () => {
    const person = await signUp(api.http);
    const answer = await signIn(
      { loginHint: person.email },
      { tamper: (u) => u.searchParams.set('nonce', 'a-nonce-of-someone-else') },
    );
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { detail: string }).detail).toMatch(/nonce/);
  });

  it('refuses an e-mail the provider does not vouch for, and one without an account', async () => {
    const person = await signUp(api.http);
    const unverified = await signIn({ loginHint: `unverified-${person.email}` });
    expect(unverified.status).toBe(403);
    expect(((await unverified.json()) as { detail: string }).detail).toMatch(/email_verified/);
    const stranger = await signIn({ loginHint: uniqueEmail('stranger') });
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { detail: string }).detail).toMatch(/invite/);
    const users = await db.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'stranger-%'`);
    expect(users.rows[0].n).toBe(0);
  });

  it('accepts an invitation by signing in, and counts a second factor the provider reports', async () => {
    const owner = await signUp(api.http);
    const email = uniqueEmail('sso-invitee');
    const invited = await api.http.post(
      `/v1/workspaces/${owner.workspaceId}/members`,
      { email, role: 'editor' },
      { token: owner.token },
    );
    expect(invited.body.status).toBe('invited');
    const [mail] = await waitFor(() => (smtp.to(email).length > 0 ? smtp.to(email) : undefined));
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1];

    const answer = await signIn({ loginHint: `mfa-${email}`, invitation: token });
    expect(answer.status).toBe(200);
    const { accessToken } = (await answer.json()) as { accessToken: string };
    const member = await api.http.get(`/v1/workspaces/${owner.workspaceId}/members/${invited.body.userId}`, {
      token: owner.token,
    });
    expect(member.body).toMatchObject({ status: 'active', role: 'editor' });
    const sessions = await api.http.get('/v1/me/sessions', { token: accessToken });
    expect(sessions.body.items[0].secondFactor).toBe(true);
    // It counts where editors must sign in with a second factor.
    const begun = await api.http.post('/v1/me/mfa/totp', undefined, { token: owner.token });
    await api.http.post(
      '/v1/me/mfa/totp/confirm',
      { code: totpCode(begun.body.secret) },
      { token: owner.token },
    );
    const ruled = await api.http.request('PATCH', `/v1/workspaces/${owner.workspaceId}`, {
      token: owner.token,
      body: { requireMfaFor: ['editor'] },
    });
    expect(ruled.status).toBe(200);
    expect((await api.http.get(`/v1/workspaces/${owner.workspaceId}`, { token: accessToken })).status).toBe(
      200,
    );

    // Somebody else's invitation is not accepted by signing in as oneself.
    const other = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    const second = uniqueEmail('second');
    await api.http.post(
      `/v1/workspaces/${owner.workspaceId}/members`,
      { email: second, role: 'admin' },
      { token: owner.token },
    );
    const [secondMail] = await waitFor(() => (smtp.to(second).length > 0 ? smtp.to(second) : undefined));
    const secondToken = /\/invite\/([A-Za-z0-9_-]{43})/.exec(secondMail.text ?? '')![1];
    const hijack = await signIn({ loginHint: other.email, invitation: secondToken });
    expect(hijack.status).toBe(403);
    const still = await api.http.get(`/v1/workspaces/${owner.workspaceId}/members`, { token: owner.token });
    expect(still.body.items.find((m: { email: string }) => m.email === second).status).toBe('invited');
  });

  it('refuses bad start requests by field', async () => {
    const extra = await api.http.get('/v1/auth/oidc/start?admin=true');
    expect(extra.status).toBe(400);
    const unknownInvitation = await api.http.get(`/v1/auth/oidc/start?invitation=${'A'.repeat(43)}`);
    expect(unknownInvitation.status).toBe(404);
    const callbackWithoutState = await api.http.get('/v1/auth/oidc/callback?code=x');
    expect(callbackWithoutState.status).toBe(400);
    const refused = await api.http.get('/v1/auth/oidc/callback?error=access_denied&error_description=nope');
    expect(refused.status).toBe(401);
  });
});
