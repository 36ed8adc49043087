import type { INestApplicationContext } from '@nestjs/common';
import { publishJobId, QueueName } from '@app/queue';
import { Queue } from 'bullmq';
import { apiKey, channel, draft, memberWithRole, signUp, type SignedUp } from './support/factories';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * Ways around the two-person rule one level above the gate: a person's own API key,
 * a weaker workflow picked by whoever writes the post, and membership changes that
 * leave a post where no one can move it.
 */
describe('Separation of duties', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let queue: Queue;
  beforeAll(async () => {
    const config = await testConfig({ WORKER_METRICS_PORT: '0' });
    api = await startApi(config);
    worker = await startWorker(config);
    queue = new Queue(QueueName.Publish, {
      connection: { url: config.redisUrl },
      prefix: config.queuePrefix,
    });
  });
  afterAll(async () => {
    await queue.close();
    await worker.close();
    await api.close();
  });

  const ws = (who: SignedUp) => `/v1/workspaces/${who.workspaceId}`;
  const approve = (who: SignedUp, postId: string, version = 1) =>
    api.http.post(
      `${ws(who)}/posts/${postId}/approvals`,
      { decision: 'approve', version },
      { token: who.token },
    );
  const workflow = async (owner: SignedUp, body: Record<string, unknown>) => {
    const res = await api.http.post(`${ws(owner)}/workflows`, body, { token: owner.token });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const ownerOnly = (owner: SignedUp) =>
    workflow(owner, {
      name: 'Owner signs',
      isDefault: true,
      stages: [{ name: 'Owner', approvers: { roles: ['owner'] }, required: 1 }],
    });

  describe('an API key acts for the person who created it, whose sign-off then never counts', () => {
    it("refuses the owner's sign-off on a post their own key wrote and submitted", async () => {
      const owner = await signUp(api.http);
      await ownerOnly(owner);
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const key = await apiKey(api.http, owner.token, owner.workspaceId, 'editor');

      const post = await draft(api.http, key.key, owner.workspaceId, { channelId: ch.id });
      expect(post.author).toEqual({ kind: 'api-key', id: key.id, onBehalfOf: owner.userId });
      const submitted = await api.http.post(`${ws(owner)}/posts/${post.id}/submit`, undefined, {
        token: key.key,
      });
      expect(submitted.body.status).toBe('in_review');

      const signed = await approve(owner, post.id);
      expect(signed.status).toBe(403);
      expect(signed.body.code).toBe('forbidden');
      expect((await api.http.get(`${ws(owner)}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
        'in_review',
      );
    });

    it("refuses the owner's sign-off on a version their key edited", async () => {
      const owner = await signUp(api.http);
      await ownerOnly(owner);
      const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const key = await apiKey(api.http, owner.token, owner.workspaceId, 'editor');
      const post = await draft(api.http, editor.token, owner.workspaceId, { channelId: ch.id });
      const edited = await api.http.patch(
        `${ws(owner)}/posts/${post.id}`,
        { text: 'Changed by the key' },
        { token: key.key, headers: { 'if-match': '"1"' } },
      );
      expect(edited.status).toBe(200);
      await api.http.post(`${ws(owner)}/posts/${post.id}/submit`, undefined, { token: editor.token });
      expect((await approve(owner, post.id, 2)).status).toBe(403);
    });

    it('revokes a key when its creator leaves or stops being an admin, and never lets one outlive them', async () => {
      const owner = await signUp(api.http);
      const leaver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const demoted = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const stays = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const leaverKey = await apiKey(api.http, leaver.token, owner.workspaceId, 'editor');
      const demotedKey = await apiKey(api.http, demoted.token, owner.workspaceId, 'editor');
      const staysKey = await apiKey(api.http, stays.token, owner.workspaceId, 'contributor');
      const probe = (key: string) => api.http.get(`${ws(owner)}/posts`, { token: key });
      expect((await probe(leaverKey.key)).status).toBe(200);

      expect(
        (await api.http.delete(`${ws(owner)}/members/${leaver.userId}`, { token: owner.token })).status,
      ).toBe(204);
      const demotion = await api.http.patch(
        `${ws(owner)}/members/${demoted.userId}`,
        { role: 'editor' },
        { token: owner.token },
      );
      expect(demotion.status).toBe(200);

      expect((await probe(leaverKey.key)).status).toBe(401);
      expect((await probe(demotedKey.key)).status).toBe(401);
      expect((await probe(staysKey.key)).status).toBe(200);
      const keys = await api.http.get(`${ws(owner)}/api-keys`, { token: owner.token });
      const revoked = (id: string) => keys.body.items.find((k: any) => k.id === id).revokedAt !== null;
      expect([revoked(leaverKey.id), revoked(demotedKey.id), revoked(staysKey.id)]).toEqual([
        true,
        true,
        false,
      ]);
      const audit = await api.http.get(`${ws(owner)}/audit?limit=200`, { token: owner.token });
      expect(
        audit.body.items
          .filter((e: any) => e.action === 'api_key.revoked')
          .map((e: any) => e.before.apiKeyId)
          .sort(),
      ).toEqual([leaverKey.id, demotedKey.id].sort());
    });
  });

  describe("only owners and admins choose a post's workflow", () => {
    async function twoWorkflows() {
      const owner = await signUp(api.http);
      const approvers = [];
      for (let i = 0; i < 2; i++)
        approvers.push(await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver'));
      await workflow(owner, {
        name: 'Two sign-offs',
        isDefault: true,
        stages: [{ name: 'Both', approvers: { roles: ['approver'] }, required: 2 }],
      });
      const weak = await workflow(owner, {
        name: 'One sign-off',
        stages: [{ name: 'Any', approvers: { roles: ['approver'] }, required: 1 }],
      });
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      return { owner, approvers, weak, channelId: ch.id };
    }
    const create = (w: { owner: SignedUp; channelId: string }, token: string, workflowId: string) =>
      api.http.post(
        `${ws(w.owner)}/posts`,
        {
          channelId: w.channelId,
          text: 'Hi',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
          workflowId,
        },
        { token },
      );

    it('refuses workflowId from contributors, editors and API keys (403 naming the field), takes it from admins', async () => {
      const w = await twoWorkflows();
      const contributor = await memberWithRole(api.http, w.owner.token, w.owner.workspaceId, 'contributor');
      const editor = await memberWithRole(api.http, w.owner.token, w.owner.workspaceId, 'editor');
      const admin = await memberWithRole(api.http, w.owner.token, w.owner.workspaceId, 'admin');
      const key = await apiKey(api.http, w.owner.token, w.owner.workspaceId, 'editor');
      for (const token of [contributor.token, editor.token, key.key]) {
        const res = await create(w, token, w.weak);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 'forbidden', errors: [{ field: 'workflowId' }] });
      }
      const posts = await api.http.get(`${ws(w.owner)}/posts`, { token: w.owner.token });
      expect(posts.body.items).toHaveLength(0);
      expect((await create(w, admin.token, w.weak)).status).toBe(201);
    });

    it("does not let a contributor's post go out on one sign-off when the default needs two", async () => {
      const w = await twoWorkflows();
      const contributor = await memberWithRole(api.http, w.owner.token, w.owner.workspaceId, 'contributor');
      const post = await draft(api.http, contributor.token, w.owner.workspaceId, { channelId: w.channelId });
      const patched = await api.http.patch(
        `${ws(w.owner)}/posts/${post.id}`,
        { workflowId: w.weak },
        { token: contributor.token, headers: { 'if-match': '"1"' } },
      );
      expect(patched.status).toBe(403);
      expect(patched.body.errors).toEqual([expect.objectContaining({ field: 'workflowId' })]);
      await api.http.post(`${ws(w.owner)}/posts/${post.id}/submit`, undefined, { token: contributor.token });
      expect((await approve(w.approvers[0], post.id)).body.status).toBe('in_review');
    });

    it('lets an admin change the workflow before submission, not while the post is under review', async () => {
      const w = await twoWorkflows();
      const post = await draft(api.http, w.owner.token, w.owner.workspaceId, { channelId: w.channelId });
      const patch = (workflowId: string | null, version = '"1"') =>
        api.http.patch(
          `${ws(w.owner)}/posts/${post.id}`,
          { workflowId },
          { token: w.owner.token, headers: { 'if-match': version } },
        );
      expect((await patch(w.weak)).status).toBe(200);
      await api.http.post(`${ws(w.owner)}/posts/${post.id}/submit`, undefined, { token: w.owner.token });
      const underReview = await patch(null);
      expect(underReview.status).toBe(409);
      expect(underReview.body.errors).toEqual([expect.objectContaining({ field: 'workflowId' })]);
      // The weaker workflow the admin chose is the one the post is reviewed under.
      expect((await approve(w.approvers[0], post.id)).body.status).toBe('approved');
    });
  });

  it("refuses another workspace's workflow on a post, on create and on PATCH (404 naming workflowId)", async () => {
    const mine = await signUp(api.http);
    const theirs = await signUp(api.http);
    const foreign = await ownerOnly(theirs);
    const ch = await channel(api.http, mine.token, mine.workspaceId);
    const created = await api.http.post(
      `${ws(mine)}/posts`,
      {
        channelId: ch.id,
        text: 'Hi',
        scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
        workflowId: foreign,
      },
      { token: mine.token },
    );
    expect(created.status).toBe(404);
    expect(created.body.errors).toEqual([expect.objectContaining({ field: 'workflowId' })]);
    const post = await draft(api.http, mine.token, mine.workspaceId, { channelId: ch.id });
    const patched = await api.http.patch(
      `${ws(mine)}/posts/${post.id}`,
      { workflowId: foreign },
      { token: mine.token, headers: { 'if-match': '"1"' } },
    );
    expect(patched.status).toBe(404);
    expect(patched.body.errors).toEqual([expect.objectContaining({ field: 'workflowId' })]);
  });

  describe('membership changes never leave a post that no one can move', () => {
    it('approves again, with its job, a post whose removed approver comes back', async () => {
      const owner = await signUp(api.http);
      const a = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      const b = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await workflow(owner, {
        name: 'Two of two',
        isDefault: true,
        stages: [{ name: 'Both', approvers: { roles: ['approver'] }, required: 2 }],
      });
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
      await api.http.post(`${ws(owner)}/posts/${post.id}/submit`, undefined, { token: owner.token });
      await approve(a, post.id);
      expect((await approve(b, post.id)).body.status).toBe('approved');
      const job = () => queue.getJob(publishJobId(post.id, 1));
      await waitFor(job, { what: 'the publish job' });

      await api.http.delete(`${ws(owner)}/members/${b.userId}`, { token: owner.token });
      const reviewing = await api.http.get(`${ws(owner)}/posts/${post.id}`, { token: owner.token });
      expect(reviewing.body.status).toBe('in_review');
      expect(reviewing.body.review.openStage).toBe(0);
      await waitFor(async () => ((await job()) ? undefined : true), { what: 'the job removed' });

      const back = await api.http.post(
        `${ws(owner)}/members`,
        { email: b.email, role: 'approver' },
        { token: owner.token },
      );
      expect(back.status).toBe(201);
      const again = await api.http.get(`${ws(owner)}/posts/${post.id}`, { token: owner.token });
      expect(again.body.status).toBe('approved');
      expect(again.body.review.openStage).toBeNull();
      const queued = await waitFor(job, { what: 'the publish job again' });
      expect(await queued.getState()).toBe('delayed');
      const history = await api.http.get(`${ws(owner)}/posts/${post.id}/history`, { token: owner.token });
      expect(history.body.items.map((e: any) => e.action)).toEqual(
        expect.arrayContaining(['post.returned_to_review', 'post.approved']),
      );
    });

    it("approves a post in review when a stage of 'all' loses the one member who had not signed", async () => {
      const owner = await signUp(api.http);
      const a = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      const b = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await workflow(owner, {
        name: 'Everyone',
        isDefault: true,
        stages: [{ name: 'All approvers', approvers: { roles: ['approver'] }, required: 'all' }],
      });
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
      await api.http.post(`${ws(owner)}/posts/${post.id}/submit`, undefined, { token: owner.token });
      expect((await approve(a, post.id)).body.status).toBe('in_review');
      const demoted = await api.http.patch(
        `${ws(owner)}/members/${b.userId}`,
        { role: 'editor' },
        { token: owner.token },
      );
      expect(demoted.status).toBe(200);
      expect((await api.http.get(`${ws(owner)}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
        'approved',
      );
    });
  });
});
