import { approverWorkflow, channel, draft, inMinutes, memberWithRole, signUp } from './support/factories';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { waitFor } from './support/wait-for';

/** Campaigns: one message across channels, submitted, signed off and held back together. */
describe('Campaigns', () => {
  let world: MailWorld;
  beforeAll(async () => {
    world = await startMailWorld();
  });
  afterAll(() => world.close());
  const http = () => world.api.http;

  /** A brand whose approvers sign off by default; its LinkedIn channel needs an admin instead. */
  async function brand() {
    const owner = await signUp(http());
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const editor = await memberWithRole(http(), owner.token, owner.workspaceId, 'editor');
    const approver = await memberWithRole(http(), owner.token, owner.workspaceId, 'approver');
    const admin = await memberWithRole(http(), owner.token, owner.workspaceId, 'admin');
    await approverWorkflow(http(), owner.token, owner.workspaceId);
    const networks = ['x', 'linkedin', 'mastodon', 'bluesky', 'facebook'] as const;
    const channels = [];
    for (const network of networks) {
      channels.push(
        await channel(http(), owner.token, owner.workspaceId, { name: `Acme ${network}`, network }),
      );
    }
    const linkedinOnly = await http().post(
      `${ws}/workflows`,
      {
        name: 'LinkedIn: admins',
        channelIds: [channels[1].id],
        stages: [{ name: 'Corporate', approvers: { roles: ['admin'] }, required: 1 }],
      },
      { token: owner.token },
    );
    expect(linkedinOnly.status).toBe(201);
    const campaign = await http().post(
      `${ws}/campaigns`,
      {
        name: 'Spring launch',
        description: 'New menu',
        startsAt: inMinutes(30),
        endsAt: inMinutes(60 * 24 * 30),
      },
      { token: editor.token },
    );
    expect(campaign.status).toBe(201);
    return { owner, ws, editor, approver, admin, channels, campaignId: campaign.body.id as string };
  }

  it('submits and signs off a five-channel campaign in two calls; one post refused by its own rules', async () => {
    const b = await brand();
    const posts: Array<{ id: string; scheduledAt: string }> = [];
    for (const ch of b.channels) {
      posts.push(
        await draft(http(), b.editor.token, b.owner.workspaceId, {
          channelId: ch.id,
          text: 'Spring menu is here',
          campaignId: b.campaignId,
          scheduledAt: inMinutes(120),
        }),
      );
    }
    const submitted = await http().post(`${b.ws}/campaigns/${b.campaignId}/submit`, undefined, {
      token: b.editor.token,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.results.map((r: { ok: boolean; status: string }) => [r.ok, r.status])).toEqual(
      posts.map(() => [true, 'in_review']),
    );

    const versions = Object.fromEntries(posts.map((p) => [p.id, 1]));
    const signed = await http().post(
      `${b.ws}/campaigns/${b.campaignId}/approvals`,
      { decision: 'approve', versions },
      { token: b.approver.token },
    );
    expect(signed.status).toBe(200);
    const byPost = new Map(signed.body.results.map((r: any) => [r.postId, r]));
    const linkedin = posts[1].id;
    expect(byPost.get(linkedin)).toMatchObject({
      ok: false,
      code: 'forbidden',
      detail: expect.stringMatching(/not an approver/),
    });
    for (const p of posts.filter((p) => p.id !== linkedin)) {
      expect(byPost.get(p.id)).toMatchObject({ ok: true, status: 'approved' });
    }
    const detail = await http().get(`${b.ws}/campaigns/${b.campaignId}`, { token: b.owner.token });
    expect(detail.body.posts.filter((p: { status: string }) => p.status === 'approved')).toHaveLength(4);
    expect(detail.body.posts.find((p: { id: string }) => p.id === linkedin)).toMatchObject({
      status: 'in_review',
      openStage: 0,
      approvals: 0,
      required: 1,
    });
    // The calendar and the ICS feed carry the campaign.
    const day = (offset: number) =>
      new Date(new Date(posts[0].scheduledAt).getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const cal = await http().get(`${b.ws}/calendar?from=${day(-1)}&to=${day(1)}`, { token: b.owner.token });
    const onCalendar = cal.body.days.flatMap((d: { posts: Array<{ campaignId: string }> }) => d.posts);
    expect(onCalendar).toHaveLength(5);
    expect(onCalendar.every((p: { campaignId: string }) => p.campaignId === b.campaignId)).toBe(true);
    const feed = await http().post(`${b.ws}/calendar-feeds`, undefined, { token: b.owner.token });
    const ics = await http().get(new URL(feed.body.url).pathname);
    expect(ics.text.match(/CATEGORIES:Spring launch/g)).toHaveLength(5);
  });

  it("holds a paused campaign's due posts at the gate, and nothing else", async () => {
    const b = await brand();
    const due = new Date(Date.now() + 4000).toISOString();
    const inCampaign = await draft(http(), b.editor.token, b.owner.workspaceId, {
      channelId: b.channels[0].id,
      text: 'Campaign post',
      campaignId: b.campaignId,
      scheduledAt: due,
    });
    const outside = await draft(http(), b.editor.token, b.owner.workspaceId, {
      channelId: b.channels[0].id,
      text: 'Everyday post',
      scheduledAt: due,
    });
    // Only owners and admins hold a campaign back.
    const byEditor = await http().post(
      `${b.ws}/campaigns/${b.campaignId}/pause`,
      { reason: 'x' },
      { token: b.editor.token },
    );
    expect(byEditor.status).toBe(403);
    const paused = await http().post(
      `${b.ws}/campaigns/${b.campaignId}/pause`,
      { reason: 'Waiting for the recall statement' },
      { token: b.admin.token },
    );
    expect(paused.body).toMatchObject({ paused: true, pauseReason: 'Waiting for the recall statement' });
    for (const p of [inCampaign, outside]) {
      await http().post(`${b.ws}/posts/${p.id}/submit`, undefined, { token: b.editor.token });
      const a = await http().post(
        `${b.ws}/posts/${p.id}/approvals`,
        { decision: 'approve', version: 1 },
        { token: b.approver.token },
      );
      expect(a.body.status).toBe('approved');
    }
    const settled = (id: string, status: string) =>
      waitFor(
        async () => {
          const p = await http().get(`${b.ws}/posts/${id}`, { token: b.owner.token });
          return p.body.status === status ? p.body : undefined;
        },
        { what: `post ${id} ${status}` },
      );
    await settled(outside.id, 'published');
    const held = await settled(inCampaign.id, 'blocked');
    expect(held.outcome.reasons).toEqual([
      { code: 'campaign_paused', reason: 'Waiting for the recall statement' },
    ]);
    const resumed = await http().post(
      `${b.ws}/campaigns/${b.campaignId}/resume`,
      { reason: 'Statement out' },
      { token: b.admin.token },
    );
    expect(resumed.body).toMatchObject({ paused: false, pauseReason: null });
    const actions = (await http().get(`${b.ws}/audit`, { token: b.owner.token })).body.items.map(
      (e: any) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['campaign.created', 'campaign.paused', 'campaign.resumed']),
    );
  });

  it('copies a post to other channels as drafts, listing those too long for their network; cancels what is not out yet', async () => {
    const b = await brand();
    const long = 'Spring menu '.repeat(25).trim(); // 299 characters: over X's 280, within Bluesky's 300
    const source = await draft(http(), b.editor.token, b.owner.workspaceId, {
      channelId: b.channels[4].id,
      text: long,
      campaignId: b.campaignId,
    });
    const variants = await http().post(
      `${b.ws}/campaigns/${b.campaignId}/variants`,
      {
        from: source.id,
        channelIds: [b.channels[0].id, b.channels[3].id, '00000000-0000-4000-8000-000000000000'],
      },
      { token: b.editor.token },
    );
    expect(variants.status).toBe(200);
    const [x, bluesky, nowhere] = variants.body.variants;
    expect(x).toMatchObject({
      channelId: b.channels[0].id,
      postId: null,
      error: expect.stringMatching(/^text: is 299 characters as x counts them/),
    });
    expect(bluesky).toMatchObject({ channelId: b.channels[3].id, postId: expect.any(String), error: null });
    expect(nowhere).toMatchObject({ postId: null, error: expect.stringMatching(/[Cc]hannel/) });
    const copy = await http().get(`${b.ws}/posts/${bluesky.postId}`, { token: b.owner.token });
    expect(copy.body).toMatchObject({ text: long, status: 'draft', campaignId: b.campaignId });

    const canceled = await http().post(`${b.ws}/campaigns/${b.campaignId}/cancel`, undefined, {
      token: b.editor.token,
    });
    expect(canceled.body.results.map((r: { ok: boolean; status: string }) => [r.ok, r.status])).toEqual([
      [true, 'canceled'],
      [true, 'canceled'],
    ]);
  });

  it('refuses bad input by field, keeps the agency to its own posts, and answers 404 for another workspace', async () => {
    const b = await brand();
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: ' ' }, 'name'],
      [{ name: 'Spring launch' }, 'name'],
      [{ name: 'SPRING LAUNCH' }, 'name'],
      [{ name: 'B', startsAt: inMinutes(60), endsAt: inMinutes(30) }, 'endsAt'],
      [{ name: 'C', startsAt: 'soon' }, 'startsAt'],
      [{ name: 'D', budget: 5 }, 'budget'],
    ] as const) {
      const res = await http().post(`${b.ws}/campaigns`, body, { token: b.owner.token });
      expect([400, 409]).toContain(res.status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    for (const [versions, field] of [
      [{}, 'versions'],
      [{ 'not-a-post': 1 }, 'versions.not-a-post'],
      [{ '00000000-0000-4000-8000-000000000000': 0 }, 'versions.00000000-0000-4000-8000-000000000000'],
      [{ '00000000-0000-4000-8000-000000000000': 'one' }, 'versions.00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await http().post(
        `${b.ws}/campaigns/${b.campaignId}/approvals`,
        { decision: 'approve', versions },
        { token: b.approver.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const badPost = await http().post(
      `${b.ws}/posts`,
      {
        channelId: b.channels[0].id,
        text: 'x',
        scheduledAt: inMinutes(60),
        campaignId: '00000000-0000-4000-8000-000000000000',
      },
      { token: b.editor.token },
    );
    expect(badPost.status).toBe(400);
    expect(badPost.body.errors[0].field).toBe('campaignId');

    // An agency contributor sees and submits only its own posts of a campaign.
    const agency = await memberWithRole(http(), b.owner.token, b.owner.workspaceId, 'contributor');
    const theirs = await draft(http(), agency.token, b.owner.workspaceId, {
      channelId: b.channels[0].id,
      campaignId: b.campaignId,
    });
    const ours = await draft(http(), b.editor.token, b.owner.workspaceId, {
      channelId: b.channels[0].id,
      campaignId: b.campaignId,
    });
    const seen = await http().get(`${b.ws}/campaigns/${b.campaignId}`, { token: agency.token });
    expect(seen.body.posts.map((p: { id: string }) => p.id)).toEqual([theirs.id]);
    const submitted = await http().post(`${b.ws}/campaigns/${b.campaignId}/submit`, undefined, {
      token: agency.token,
    });
    expect(submitted.body.results.map((r: { postId: string }) => r.postId)).toEqual([theirs.id]);
    expect((await http().get(`${b.ws}/posts/${ours.id}`, { token: b.owner.token })).body.status).toBe(
      'draft',
    );
    // Signing off a post of another campaign through this one: refused for that post.
    const elsewhere = await draft(http(), b.editor.token, b.owner.workspaceId, {
      channelId: b.channels[0].id,
    });
    const through = await http().post(
      `${b.ws}/campaigns/${b.campaignId}/approvals`,
      { decision: 'approve', versions: { [elsewhere.id]: 1 } },
      { token: b.approver.token },
    );
    expect(through.body.results).toEqual([
      expect.objectContaining({ postId: elsewhere.id, ok: false, code: 'not_found' }),
    ]);

    const other = await brand();
    for (const path of ['', '/submit', '/cancel']) {
      const method = path ? 'POST' : 'GET';
      expect(
        (
          await http().request(method, `${other.ws}/campaigns/${other.campaignId}${path}`, {
            token: b.owner.token,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await http().request(method, `${b.ws}/campaigns/${other.campaignId}${path}`, {
            token: b.owner.token,
          })
        ).status,
      ).toBe(404);
    }
  });
});
