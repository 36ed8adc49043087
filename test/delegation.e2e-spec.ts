import { channel, draft, memberWithRole, signUp, type SignedUp } from './support/factories';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { waitFor } from './support/wait-for';

/** Stand-in approvers: a member away names someone to sign off for them for a while. */
describe('Stand-in approvers', () => {
  let world: MailWorld;
  beforeAll(async () => {
    world = await startMailWorld();
  });
  afterAll(() => world.close());
  const http = () => world.api.http;

  const hourFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();

  /** Maya alone signs off Legal; Dana is an approver of no stage; Erin writes the posts. */
  async function legalTeam(required: 1 | 2 = 1) {
    const owner = await signUp(http());
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const erin = await memberWithRole(http(), owner.token, owner.workspaceId, 'editor');
    const maya = await memberWithRole(http(), owner.token, owner.workspaceId, 'approver');
    const dana = await memberWithRole(http(), owner.token, owner.workspaceId, 'approver');
    const legal = required === 1 ? [maya.userId] : [maya.userId, dana.userId];
    const wf = await http().post(
      `${ws}/workflows`,
      {
        name: 'Legal',
        isDefault: true,
        stages: [{ name: 'Legal', approvers: { userIds: legal }, required }],
      },
      { token: owner.token },
    );
    expect(wf.status).toBe(201);
    const ch = await channel(http(), owner.token, owner.workspaceId);
    const submitted = async (author: SignedUp = erin) => {
      const post = await draft(http(), author.token, owner.workspaceId, { channelId: ch.id });
      const s = await http().post(`${ws}/posts/${post.id}/submit`, undefined, { token: author.token });
      expect(s.status).toBe(200);
      return post.id;
    };
    const delegate = (who: SignedUp, body: Record<string, unknown>, as: SignedUp = who) =>
      http().put(`${ws}/members/${who.userId}/delegation`, body, { token: as.token });
    const approve = (postId: string, who: SignedUp, more: Record<string, unknown> = {}) =>
      http().post(
        `${ws}/posts/${postId}/approvals`,
        { decision: 'approve', version: 1, ...more },
        { token: who.token },
      );
    return { owner, ws, erin, maya, dana, submitted, delegate, approve };
  }

  it('lets a stand-in sign off for the member during the window only, counted as the member, once', async () => {
    const t = await legalTeam();
    // Named for a window that has not begun: nothing yet.
    const later = await t.delegate(t.maya, {
      delegateUserId: t.dana.userId,
      from: hourFromNow(1),
      until: hourFromNow(2),
      note: 'Holiday',
    });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({
      userId: t.maya.userId,
      delegateUserId: t.dana.userId,
      inForce: false,
    });
    const early = await t.submitted();
    expect((await t.approve(early, t.dana)).status).toBe(403);

    // From now: Dana's sign-off is Maya's.
    const now = await t.delegate(t.maya, {
      delegateUserId: t.dana.userId,
      from: hourFromNow(-0.01),
      until: hourFromNow(2),
    });
    expect(now.body.inForce).toBe(true);
    const signed = await t.approve(early, t.dana);
    expect(signed.status).toBe(201);
    expect(signed.body.status).toBe('approved');
    expect(signed.body.review.stages[0].approvals).toEqual([
      expect.objectContaining({
        userId: t.dana.userId,
        onBehalfOf: expect.objectContaining({ id: t.maya.userId }),
      }),
    ]);
    const audit = await http().get(`${t.ws}/audit?postId=${early}`, { token: t.owner.token });
    expect(audit.body.items.find((e: any) => e.action === 'post.signed_off').after).toMatchObject({
      onBehalfOf: t.maya.userId,
    });

    // Window closed (moved into the past underneath): no more sign-offs for Maya.
    await world.db.query(
      `UPDATE delegations SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour'
        WHERE user_id = $1 AND ended_at IS NULL`,
      [t.maya.userId],
    );
    const after = await t.submitted();
    const late = await t.approve(after, t.dana);
    expect(late.status).toBe(403);
    expect((await http().get(`${t.ws}/posts/${after}`, { token: t.owner.token })).body.status).toBe(
      'in_review',
    );
  });

  it('counts one human once, never for their own post, and drops the sign-off when the stand-in leaves', async () => {
    const t = await legalTeam(2);
    await t.delegate(t.maya, {
      delegateUserId: t.dana.userId,
      from: hourFromNow(-0.01),
      until: hourFromNow(2),
    });
    // Dana is a Legal approver herself: her one sign-off is hers, and she cannot add Maya's.
    const post = await t.submitted();
    const own = await t.approve(post, t.dana);
    expect(own.body).toMatchObject({ status: 'in_review' });
    const twice = await t.approve(post, t.dana, { onBehalfOf: t.maya.userId });
    expect(twice.status).toBe(409);
    expect(
      (await http().get(`${t.ws}/posts/${post}`, { token: t.owner.token })).body.review.stages[0].approvals,
    ).toHaveLength(1);

    // Erin, Maya's stand-in for a moment, cannot sign her own post for Maya.
    await t.delegate(t.maya, {
      delegateUserId: t.erin.userId,
      from: hourFromNow(-0.01),
      until: hourFromNow(2),
    });
    const hers = await t.submitted(t.erin);
    const forMayaOnHers = await t.approve(hers, t.erin, { onBehalfOf: t.maya.userId });
    expect(forMayaOnHers.status).toBe(403);
    expect(forMayaOnHers.body.detail).toMatch(/author/);

    // Sam stands in for Maya on Erin's post; the stage (2 of Maya, Dana) completes with Dana.
    const sam = await memberWithRole(http(), t.owner.token, t.owner.workspaceId, 'approver');
    await t.delegate(t.maya, { delegateUserId: sam.userId, from: hourFromNow(-0.01), until: hourFromNow(2) });
    const next = await t.submitted();
    expect((await t.approve(next, sam)).status).toBe(201);
    // Maya's seat is filled: back early, she cannot add her own on top.
    const mayaToo = await t.approve(next, t.maya);
    expect(mayaToo.status).toBe(409);
    expect(mayaToo.body.detail).toMatch(/already counts for you/);
    expect((await t.approve(next, t.dana)).body.status).toBe('approved');
    // Sam leaves: his sign-off stops counting, and the post goes back to review.
    expect((await http().delete(`${t.ws}/members/${sam.userId}`, { token: t.owner.token })).status).toBe(204);
    expect((await http().get(`${t.ws}/posts/${next}`, { token: t.owner.token })).body.status).toBe(
      'in_review',
    );
    expect(
      (await http().get(`${t.ws}/members/${t.maya.userId}/delegation`, { token: t.owner.token })).status,
    ).toBe(404);
  });

  it('mails the stand-in a link of their own that signs for the member, and says so', async () => {
    const t = await legalTeam();
    await t.delegate(t.maya, {
      delegateUserId: t.dana.userId,
      from: hourFromNow(-0.01),
      until: hourFromNow(2),
    });
    const post = await t.submitted();
    const reviewMail = async (who: SignedUp) =>
      (await world.mailsTo(who.email, 2)).find((m) => /Please review/.test(m.subject ?? ''))!;
    const toMaya = await reviewMail(t.maya);
    const toDana = await reviewMail(t.dana);
    expect(toMaya.text).not.toMatch(/stand-in/);
    expect(toDana.text).toMatch(/As the stand-in of A approver: your sign-off counts as theirs/);
    const link = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(toDana.text ?? '')![1];
    const page = await http().get(link);
    expect(page.text).toMatch(/standing in for <strong>A approver<\/strong>/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const answered = await http().request('POST', link, {
      body: new URLSearchParams({ decision: 'approve', csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answered.status).toBe(200);
    const now = await http().get(`${t.ws}/posts/${post}`, { token: t.owner.token });
    expect(now.body).toMatchObject({ status: 'approved' });
    expect(now.body.review.decisions[0]).toMatchObject({
      userId: t.dana.userId,
      via: 'email',
      onBehalfOf: expect.objectContaining({ id: t.maya.userId }),
    });
    // The gate counts it as Maya's when the post goes out.
    const out = await http().post(`${t.ws}/posts/${post}/publish-now`, undefined, { token: t.owner.token });
    expect(out.status).toBeLessThan(300);
    await waitFor(
      async () =>
        (await http().get(`${t.ws}/posts/${post}`, { token: t.owner.token })).body.status === 'published' ||
        undefined,
      { what: 'the post published' },
    );
  });

  it("holds a stand-in to the member's second-factor rule", async () => {
    const t = await legalTeam();
    const ed = await memberWithRole(http(), t.owner.token, t.owner.workspaceId, 'editor');
    await t.delegate(t.maya, { delegateUserId: ed.userId, from: hourFromNow(-0.01), until: hourFromNow(2) });
    expect((await t.approve(await t.submitted(), ed)).status).toBe(201);
    // The workspace asks approvers (Maya's role) for a second factor; Ed's role is not asked it.
    await world.db.query(`UPDATE workspaces SET require_mfa_for = '{approver}' WHERE id = $1`, [
      t.owner.workspaceId,
    ]);
    const post = await t.submitted();
    const refused = await t.approve(post, ed);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/not an approver of stage 1/);
    expect((await http().get(`${t.ws}/posts/${post}`, { token: t.owner.token })).body.status).toBe(
      'in_review',
    );
  });

  it('is set by the member or an admin (never naming the admin), checked by field, audited, and another workspace is a 404', async () => {
    const t = await legalTeam();
    const window = { from: hourFromNow(-0.01), until: hourFromNow(24) };
    const contributor = await memberWithRole(http(), t.owner.token, t.owner.workspaceId, 'contributor');
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await t.delegate(t.maya, { delegateUserId: t.dana.userId, ...window, ...body });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ delegateUserId: t.maya.userId }, 'delegateUserId');
    await bad({ delegateUserId: contributor.userId }, 'delegateUserId');
    await bad({ delegateUserId: '00000000-0000-4000-8000-000000000000' }, 'delegateUserId');
    await bad({ until: window.from }, 'until');
    await bad({ from: hourFromNow(-48), until: hourFromNow(-24) }, 'until');
    await bad({ until: hourFromNow(24 * 200) }, 'until');
    await bad({ from: 'tomorrow' }, 'from');
    await bad({ onBehalfOf: t.dana.userId }, 'onBehalfOf');

    // Not for someone else unless owner or admin; an admin never names themself.
    const byDana = await t.delegate(t.maya, { delegateUserId: t.dana.userId, ...window }, t.dana);
    expect(byDana.status).toBe(403);
    const ownerSelf = await t.delegate(t.maya, { delegateUserId: t.owner.userId, ...window }, t.owner);
    expect(ownerSelf.status).toBe(403);
    const byOwner = await t.delegate(t.maya, { delegateUserId: t.dana.userId, ...window }, t.owner);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.setBy).toBe(t.owner.userId);
    expect(
      (await http().get(`${t.ws}/members/${t.maya.userId}/delegation`, { token: t.dana.token })).body,
    ).toMatchObject({
      delegateUserId: t.dana.userId,
    });
    expect(
      (await http().delete(`${t.ws}/members/${t.maya.userId}/delegation`, { token: t.maya.token })).status,
    ).toBe(204);
    expect(
      (await http().delete(`${t.ws}/members/${t.maya.userId}/delegation`, { token: t.maya.token })).status,
    ).toBe(404);
    const actions = (await http().get(`${t.ws}/audit`, { token: t.owner.token })).body.items.map(
      (e: any) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['member.delegation_set', 'member.delegation_ended']));

    // Another workspace's member, or ours through theirs: 404.
    const other = await signUp(http());
    const theirs = `/v1/workspaces/${other.workspaceId}/members`;
    expect(
      (
        await http().put(
          `${theirs}/${t.maya.userId}/delegation`,
          { delegateUserId: t.dana.userId, ...window },
          { token: other.token },
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await http().put(
          `${t.ws}/members/${t.maya.userId}/delegation`,
          { delegateUserId: t.dana.userId, ...window },
          { token: other.token },
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await http().put(
          `${t.ws}/members/${t.maya.userId}/delegation`,
          { delegateUserId: other.userId, ...window },
          { token: t.maya.token },
        )
      ).status,
    ).toBe(400);
  });
});
