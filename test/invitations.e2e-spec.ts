import type { Client } from 'pg';
import { apiClient } from './support/api-client';
import {
  channel,
  draft,
  memberWithRole,
  PASSWORD,
  proveAddress,
  signUp,
  uniqueEmail,
} from './support/factories';
import type { SmtpSink } from './support/smtp-sink';
import type { TestApi } from './support/test-app';
import { startMailWorld, type MailWorld } from './support/mail-world';

const CHOSEN = 'maple syrup on tuesdays';

describe('Invitations', () => {
  let world: MailWorld;
  let smtp: SmtpSink;
  let api: TestApi;
  let db: Client;

  beforeAll(async () => {
    world = await startMailWorld();
    ({ smtp, api, db } = world);
  });
  afterAll(() => world.close());

  const mailsTo = (email: string, count: number) => world.mailsTo(email, count);
  const inviteLinkIn = (text: string | undefined): string => {
    const token = /https:\/\/countersign\.example\/invite\/([A-Za-z0-9_-]{43})/.exec(text ?? '')?.[1];
    if (!token) throw new Error(`no invitation link in: ${text}`);
    return token;
  };
  const invite = async (ownerToken: string, workspaceId: string, email: string, role = 'approver') => {
    const res = await api.http.post(
      `/v1/workspaces/${workspaceId}/members`,
      { email, role, name: 'Lee' },
      { token: ownerToken },
    );
    expect(res.status).toBe(201);
    return res.body as { userId: string; status: string; canLogIn: boolean; invitationExpiresAt: string };
  };
  const accept = (token: string, body: unknown) => api.http.post(`/v1/invitations/${token}/accept`, body);
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const csrfIn = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  it('invites, mails a link, and the invited person accepts, logs in and acts with the invited role', async () => {
    const owner = await signUp(api.http, { workspaceName: 'Acme Coffee', name: 'Maya' });
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const email = uniqueEmail('lee');
    const invited = await invite(owner.token, owner.workspaceId, email);
    expect(invited).toMatchObject({ status: 'invited', canLogIn: false });
    expect(new Date(invited.invitationExpiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    const [mail] = await mailsTo(email, 1);
    expect(mail.subject).toBe('Maya invited you to Acme Coffee on Countersign');
    expect(mail.text).toMatch(/join Acme Coffee as approver/);
    const token = inviteLinkIn(mail.text);
    const stored = await db.query(`SELECT token_hash FROM invitations`);
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    // Before accepting they are no member: the list says so, and no rule can count them.
    const { data: members } = await apiClient(api.http, owner.token).GET(
      '/v1/workspaces/{workspaceId}/members',
      {
        params: { path: { workspaceId: owner.workspaceId } },
      },
    );
    expect(members!.items.find((m) => m.email === email)).toMatchObject({
      status: 'invited',
      role: 'approver',
    });
    const byRole = await api.http.post(
      `${ws}/workflows`,
      { name: 'Needs Lee', stages: [{ name: 'Brand', approvers: { roles: ['approver'] }, required: 1 }] },
      { token: owner.token },
    );
    expect(byRole.status).toBe(400);
    expect(byRole.body.errors).toEqual([
      expect.objectContaining({
        field: 'stages[0].required',
        message: expect.stringMatching(/1 invited who have not accepted/),
      }),
    ]);
    const byName = await api.http.post(
      `${ws}/workflows`,
      {
        name: 'Names Lee',
        stages: [{ name: 'Brand', approvers: { userIds: [invited.userId] }, required: 1 }],
      },
      { token: owner.token },
    );
    expect(byName.status).toBe(400);
    expect(byName.body.errors).toContainEqual(
      expect.objectContaining({
        field: 'stages[0].approvers.userIds[0]',
        message: expect.stringMatching(/invited but has not accepted/),
      }),
    );

    const accepted = await accept(token, { name: 'Lee Park', password: CHOSEN });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email, name: 'Lee Park' });
    expect(accepted.body.workspace).toMatchObject({ id: owner.workspaceId, role: 'approver' });
    expect(accepted.body.refreshToken).toBeDefined();

    const login = await api.http.post('/v1/auth/login', { email, password: CHOSEN });
    expect(login.status).toBe(200);
    // Now a member: named by a workflow, they sign off a post.
    const workflow = await api.http.post(
      `${ws}/workflows`,
      {
        name: 'Lee',
        isDefault: true,
        stages: [{ name: 'Brand', approvers: { userIds: [invited.userId] }, required: 1 }],
      },
      { token: owner.token },
    );
    expect(workflow.status).toBe(201);
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
    await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    const signed = await api.http.post(
      `${ws}/posts/${post.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: login.body.accessToken },
    );
    expect(signed.status).toBe(201);
    expect(signed.body.status).toBe('approved');

    // The link worked once.
    const again = await accept(token, { password: 'something else entirely' });
    expect(again.status).toBe(410);
    expect(again.body.detail).toMatch(/accepted already/);
    const audit = await api.http.get(`${ws}/audit`, { token: owner.token });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['member.invited', 'member.invitation_accepted']),
    );
  });

  it('does not count a pending approver on a post under review, and counts them once they accept', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
    await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await api.http.post(
      `${ws}/workflows`,
      {
        name: 'Two',
        isDefault: true,
        stages: [{ name: 'Brand', approvers: { roles: ['approver'] }, required: 'all' }],
      },
      { token: owner.token },
    );
    const email = uniqueEmail('pending');
    await invite(owner.token, owner.workspaceId, email);
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const post = await draft(api.http, editor.token, owner.workspaceId, { channelId: ch.id });
    await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: editor.token });
    const [invitationMail] = await mailsTo(email, 1);
    const progress = await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token });
    // 'all' of the approvers means the one member, not the invited person.
    expect(progress.body.review.stages[0]).toMatchObject({ required: 1 });
    // No review request went to them: the invitation is their only mail.
    expect(smtp.to(email)).toHaveLength(1);

    await accept(inviteLinkIn(invitationMail.text), { password: CHOSEN });
    const after = await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token });
    expect(after.body.review.stages[0]).toMatchObject({ required: 2 });
  });

  it('accepts from the page: a weak password is refused on it with the name kept, then a welcome', async () => {
    const owner = await signUp(api.http, { workspaceName: 'Acme Tea' });
    const email = uniqueEmail('page');
    await invite(owner.token, owner.workspaceId, email, 'editor');
    const token = inviteLinkIn((await mailsTo(email, 1))[0].text);

    const page = await api.http.get(`/invite/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('Join Acme Tea');
    expect(page.text).toContain('<strong>editor</strong>');
    const csrf = csrfIn(page.text);

    expect(
      (await api.http.request('POST', `/invite/${token}`, form({ name: 'Sam', password: CHOSEN }))).status,
    ).toBe(403);
    const weak = await api.http.request(
      'POST',
      `/invite/${token}`,
      form({ name: 'Sam Lee', password: 'password123', csrf }),
    );
    expect(weak.status).toBe(400);
    expect(weak.text).toMatch(/too easy to guess/);
    expect(weak.text).toContain('value="Sam Lee"');

    const welcome = await api.http.request(
      'POST',
      `/invite/${token}`,
      form({ name: 'Sam Lee', password: CHOSEN, csrf }),
    );
    expect(welcome.status).toBe(200);
    expect(welcome.text).toContain('Welcome to Acme Tea');
    expect((await api.http.post('/v1/auth/login', { email, password: CHOSEN })).status).toBe(200);
    const used = await api.http.get(`/invite/${token}`);
    expect(used.status).toBe(410);
    expect(used.text).toContain('accepted already');
  });

  it('refuses an expired link, a withdrawn one, and the old link once it is resent', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;

    const late = uniqueEmail('late');
    const lateInvite = await invite(owner.token, owner.workspaceId, late);
    const lateToken = inviteLinkIn((await mailsTo(late, 1))[0].text);
    await db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      lateInvite.userId,
    ]);
    const expired = await api.http.get(`/invite/${lateToken}`);
    expect(expired.status).toBe(410);
    expect(expired.text).toMatch(/expired/);
    expect((await accept(lateToken, { password: CHOSEN })).status).toBe(410);

    // Resent: a new link; the old one is dead.
    const resent = await api.http.post(`${ws}/members/${lateInvite.userId}/resend-invitation`, undefined, {
      token: owner.token,
    });
    expect(resent.status).toBe(200);
    expect(new Date(resent.body.invitationExpiresAt).getTime()).toBeGreaterThan(Date.now());
    const [, second] = await mailsTo(late, 2);
    const freshToken = inviteLinkIn(second.text);
    expect(freshToken).not.toBe(lateToken);
    expect((await accept(lateToken, { password: CHOSEN })).status).toBe(410);

    // Withdrawn: the member list forgets them and the link is dead.
    const removed = await api.http.request('DELETE', `${ws}/members/${lateInvite.userId}`, {
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    const withdrawn = await accept(freshToken, { password: CHOSEN });
    expect(withdrawn.status).toBe(410);
    expect(withdrawn.body.detail).toMatch(/withdrawn/);
    const list = await api.http.get(`${ws}/members`, { token: owner.token });
    expect(list.body.items.map((m: { userId: string }) => m.userId)).not.toContain(lateInvite.userId);
    expect(
      (
        await api.http.post(`${ws}/members/${lateInvite.userId}/resend-invitation`, undefined, {
          token: owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it('adds someone with an account at once and tells them; asks them for their own password on an invitation', async () => {
    const owner = await signUp(api.http, { workspaceName: 'Acme Juice', name: 'Maya' });
    const known = await signUp(api.http);
    await proveAddress(api.http, known.userId);
    const added = await invite(owner.token, owner.workspaceId, known.email, 'editor');
    expect(added).toMatchObject({ status: 'active', canLogIn: true });
    const [told] = await mailsTo(known.email, 1);
    expect(told.subject).toBe('You were added to Acme Juice on Countersign');

    // Invited to two workspaces before having an account: the second asks for the password chosen at the first.
    const other = await signUp(api.http);
    const email = uniqueEmail('twice');
    await invite(owner.token, owner.workspaceId, email);
    await invite(other.token, other.workspaceId, email);
    const [first, second] = (await mailsTo(email, 2)).map((m) => inviteLinkIn(m.text));
    expect((await accept(first, { password: CHOSEN })).status).toBe(200);
    const wrong = await accept(second, { password: 'not the one at all here' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await accept(second, { password: CHOSEN })).status).toBe(200);
    expect((await api.http.post('/v1/auth/login', { email, password: CHOSEN })).status).toBe(200);
  });

  it('invites, not adds, an account whose address nobody proved: the mailbox owner takes it over from whoever signed up', async () => {
    const owner = await signUp(api.http, { workspaceName: 'Acme Tea', name: 'Maya' });
    // Someone who knows the brand approver's address registers it first, hoping to sign off as them.
    const approverEmail = uniqueEmail('approver');
    const squatter = await signUp(api.http, { email: approverEmail });
    const added = await invite(owner.token, owner.workspaceId, approverEmail, 'approver');
    expect(added).toMatchObject({ status: 'invited' });
    const asSquatter = await api.http.get(`/v1/workspaces/${owner.workspaceId}/posts`, {
      token: squatter.token,
    });
    expect(asSquatter.status).toBe(404);

    // The real owner of the mailbox opens the link: the page asks for a new password, not "your password".
    const token = inviteLinkIn((await mailsTo(approverEmail, 1))[0].text);
    const page = await api.http.get(`/invite/${token}`);
    expect(page.text).toMatch(/name="password"/);
    expect(page.text).toMatch(/Choose a password/);
    expect(page.text).not.toMatch(/account already/);
    const accepted = await accept(token, { password: CHOSEN });
    expect(accepted.status).toBe(200);

    // The squatter's session and password are gone; the mailbox owner's work.
    expect((await api.http.get('/v1/me', { token: squatter.token })).status).toBe(401);
    const byOld = await api.http.post('/v1/auth/login', { email: approverEmail, password: PASSWORD });
    expect(byOld.status).toBe(401);
    const byNew = await api.http.post('/v1/auth/login', { email: approverEmail, password: CHOSEN });
    expect(byNew.status).toBe(200);
    const ended = await db.query(
      `SELECT end_reason FROM sessions WHERE user_id = $1 AND ended_at IS NOT NULL`,
      [squatter.userId],
    );
    expect(ended.rows).toEqual([{ end_reason: 'mailbox_proved' }]);

    // Proved now: another workspace adds them at once.
    const other = await signUp(api.http);
    expect(await invite(other.token, other.workspaceId, approverEmail, 'editor')).toMatchObject({
      status: 'active',
    });
  });

  it('lets only one of two acceptances at once through', async () => {
    const owner = await signUp(api.http);
    const email = uniqueEmail('race');
    await invite(owner.token, owner.workspaceId, email);
    const token = inviteLinkIn((await mailsTo(email, 1))[0].text);
    const answers = await Promise.all([
      accept(token, { password: CHOSEN }),
      accept(token, { password: CHOSEN }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
    const rows = await db.query(
      `SELECT count(*)::int AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [email],
    );
    expect(rows.rows[0].n).toBe(1);
  });

  it('keeps invitations to those who manage members, in their own workspace, and owners to owners', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
    const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
    const email = uniqueEmail('guarded');
    const pending = await invite(owner.token, owner.workspaceId, email);

    const byEditor = (path: string, method = 'POST') =>
      api.http.request(method, path, { token: editor.token });
    expect((await byEditor(`${ws}/members/${pending.userId}/resend-invitation`)).status).toBe(403);
    expect((await byEditor(`${ws}/members/${pending.userId}`, 'DELETE')).status).toBe(403);
    const stranger = await signUp(api.http);
    expect(
      (
        await api.http.post(`${ws}/members/${pending.userId}/resend-invitation`, undefined, {
          token: stranger.token,
        })
      ).status,
    ).toBe(404);
    const otherWs = `/v1/workspaces/${stranger.workspaceId}`;
    expect(
      (
        await api.http.post(`${otherWs}/members/${pending.userId}/resend-invitation`, undefined, {
          token: stranger.token,
        })
      ).status,
    ).toBe(404);

    const ownerInvite = await api.http.post(
      `${ws}/members`,
      { email: uniqueEmail('boss'), role: 'owner' },
      { token: admin.token },
    );
    expect(ownerInvite.status).toBe(403);
    const promote = await api.http.request('PATCH', `${ws}/members/${pending.userId}`, {
      token: admin.token,
      body: { role: 'owner' },
    });
    expect(promote.status).toBe(403);
    const changed = await api.http.request('PATCH', `${ws}/members/${pending.userId}`, {
      token: admin.token,
      body: { role: 'editor' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'invited', role: 'editor' });
    const twice = await api.http.post(`${ws}/members`, { email, role: 'approver' }, { token: owner.token });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/resend/);

    // Nobody's inbox is flooded by resending: five an hour.
    const resend = () =>
      api.http.post(`${ws}/members/${pending.userId}/resend-invitation`, undefined, { token: owner.token });
    for (let i = 0; i < 5; i++) expect((await resend()).status).toBe(200);
    const flooded = await resend();
    expect(flooded.status).toBe(429);
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses bad acceptances by field, and unknown links with 404', async () => {
    const owner = await signUp(api.http);
    const email = uniqueEmail('bad');
    await invite(owner.token, owner.workspaceId, email);
    const token = inviteLinkIn((await mailsTo(email, 1))[0].text);

    const missing = await accept(token, { name: 'X' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
    const extra = await accept(token, { password: CHOSEN, role: 'owner' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toContainEqual(expect.objectContaining({ field: 'role' }));
    const own = await accept(token, { password: email });
    expect(own.status).toBe(400);
    expect((await accept('A'.repeat(43), { password: CHOSEN })).status).toBe(404);
    expect((await api.http.get('/invite/not-a-token')).status).toBe(404);
    // Nothing refused used the link up.
    expect((await accept(token, { password: CHOSEN })).status).toBe(200);
  });
});
