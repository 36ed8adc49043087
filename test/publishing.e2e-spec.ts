import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { apiKey, memberWithRole, PASSWORD } from './support/factories';
import { publishingWorld, type PublishingWorld } from './support/publishing-world';
import { PrivateRedis } from './support/redis-server';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'receiver-secret-0123456789';
const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000);

describe('Publishing through the gate', () => {
  let redis: PrivateRedis;
  let receiver: WebhookReceiver;
  let api: TestApi;
  let worker: INestApplicationContext;
  let w: PublishingWorld;

  beforeAll(async () => {
    redis = await new PrivateRedis().start();
    receiver = await new WebhookReceiver(SECRET).start();
    const config = await testConfig({
      REDIS_URL: redis.url,
      PUBLISH_RETRY_BASE_MS: '100',
      PUBLISH_LOCK_MS: '2000',
      RECONCILE_EVERY_MS: '500',
      PUBLISHING_STUCK_MS: '3000',
      WORKER_METRICS_PORT: '0',
    });
    api = await startApi(config);
    worker = await startWorker(config);
    w = await publishingWorld(api.http, receiver.url, SECRET);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await receiver.stop();
    await redis.stop();
  });
  beforeEach(() => {
    receiver.behaviour = () => ({ status: 200 });
  });

  const sql = async (query: string, params: unknown[] = []): Promise<any[]> => {
    const db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    try {
      return (await db.query(query, params)).rows;
    } finally {
      await db.end();
    }
  };

  it('publishes an approved post once, within a second of its time, signed, with its idempotency key', async () => {
    const due = secondsFromNow(2);
    const post = await w.approvedPost(due);
    const published = await w.untilStatus(post.id, 'published');
    const calls = receiver.forPost(post.id);
    expect(calls).toHaveLength(1);
    expect(calls[0].at).toBeGreaterThanOrEqual(due.getTime() - 50);
    expect(calls[0].at - due.getTime()).toBeLessThan(1000);
    expect(calls[0].signatureValid).toBe(true);
    expect(calls[0].headers['idempotency-key']).toBe(`${post.id}-v1`);
    expect(calls[0].body).toMatchObject({
      event: 'post.publish',
      postId: post.id,
      version: 1,
      text: 'Going out',
    });
    expect(published).toMatchObject({
      externalId: `ext-${post.id}-v1`,
      externalUrl: `https://social.example/${post.id}-v1`,
    });
    const history = await api.http.get(`${w.ws}/posts/${post.id}/history`, { token: w.owner.token });
    expect(history.body.items.map((e: any) => e.action).slice(-2)).toEqual([
      'post.publishing',
      'post.published',
    ]);
  });

  /** Waits for a post due just after `time` to go out: jobs run in time order, so earlier ones have had their turn. */
  async function pastTime(time: Date): Promise<void> {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const sentinel = await other.approvedPost(
      new Date(Math.max(time.getTime(), Date.now()) + 500),
      'sentinel',
    );
    await other.untilStatus(sentinel.id, 'published');
  }

  it('sends nothing when the approver is removed after the job was queued: the post goes back to review', async () => {
    const due = secondsFromNow(1.5);
    const post = await w.approvedPost(due);
    await api.http.delete(`${w.ws}/members/${w.approver.userId}`, { token: w.owner.token });
    expect((await w.status(post.id)).status).toBe('in_review');
    await pastTime(due);
    expect(receiver.forPost(post.id)).toHaveLength(0);
    expect((await w.status(post.id)).status).toBe('in_review');
    // Back for the other tests.
    await api.http.post(
      `${w.ws}/members`,
      { email: w.approver.email, role: 'approver' },
      { token: w.owner.token },
    );
  });

  it('blocks, with the reason, a post whose channel was paused after approval', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const post = await other.approvedPost(secondsFromNow(1));
    const paused = await api.http.post(
      `${other.ws}/channels/${other.channelId}/pause`,
      { reason: 'crisis on this account' },
      { token: other.owner.token },
    );
    expect(paused.body).toMatchObject({ paused: true, pausedReason: 'crisis on this account' });
    const blocked = await other.untilStatus(post.id, 'blocked');
    expect(blocked.outcome.reasons).toEqual([{ code: 'channel_paused' }]);
    expect(receiver.forPost(post.id)).toHaveLength(0);
    const resumed = await api.http.post(`${other.ws}/channels/${other.channelId}/resume`, undefined, {
      token: other.owner.token,
    });
    expect(resumed.body.stoppedPosts.map((p: any) => p.id)).toEqual([post.id]);
  });

  it('pauses a whole workspace at once: 20 posts due in seconds never go out, nor after the resume', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const { due, posts } = await other.approvedPostsDueTogether(20, 2);
    const paused = await api.http.post(
      `${other.ws}/pause`,
      { reason: 'Suspected hack' },
      { token: other.owner.token },
    );
    expect(paused.status).toBe(200);
    await pastTime(due);
    for (const p of posts) {
      const now = await other.untilStatus(p.id, 'blocked');
      expect(now.outcome.reasons).toEqual([{ code: 'workspace_paused' }]);
    }
    const resumed = await api.http.post(`${other.ws}/resume`, undefined, { token: other.owner.token });
    expect(resumed.body.workspace.paused).toBe(false);
    expect(resumed.body.stoppedPosts.map((p: any) => p.id).sort()).toEqual(posts.map((p) => p.id).sort());
    await pastTime(new Date());
    expect(posts.flatMap((p) => receiver.forPost(p.id))).toHaveLength(0);
    const history = await api.http.get(`${other.ws}/audit?limit=200`, { token: other.owner.token });
    expect(history.body.items.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['workspace.paused', 'workspace.resumed']),
    );
    const bad = await api.http.post(`${other.ws}/pause`, {}, { token: other.owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('reason');
  }, 40_000);

  it('stops a retry when the workspace is paused between tries: one call, then blocked', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    receiver.behaviour = () => ({ status: 503, delayMs: 1000 });
    const post = await other.approvedPost(secondsFromNow(1), 'Retried into a pause');
    await receiver.until(() => receiver.forPost(post.id).length === 1);
    // The 503 is still on its way: the pause lands between the first try and the retry.
    const paused = await api.http.post(
      `${other.ws}/pause`,
      { reason: 'Stop everything' },
      { token: other.owner.token },
    );
    expect(paused.status).toBe(200);
    const blocked = await other.untilStatus(post.id, 'blocked');
    expect(blocked.outcome.reasons).toEqual([{ code: 'workspace_paused' }]);
    expect(receiver.forPost(post.id)).toHaveLength(1);
    const attempts = await sql(`SELECT outcome, status_code FROM publish_attempts WHERE post_id = $1`, [
      post.id,
    ]);
    expect(attempts).toEqual([{ outcome: 'retry', status_code: 503 }]);
  });

  describe('a retry is gated like the first try', () => {
    /** A post whose first try is answered 503 a second late; `meanwhile` runs while that answer is on its way. */
    async function retriedAfter(meanwhile: (other: PublishingWorld, postId: string) => Promise<void>) {
      const other = await publishingWorld(api.http, receiver.url, SECRET);
      receiver.behaviour = () => ({ status: 503, delayMs: 1000 });
      const post = await other.approvedPost(secondsFromNow(1), 'Retried after a change');
      await receiver.until(() => receiver.forPost(post.id).length === 1);
      await meanwhile(other, post.id);
      return { other, post };
    }

    it('does not call again once the only approver has left: one call, then blocked', async () => {
      const { other, post } = await retriedAfter(async (o) => {
        const removed = await api.http.delete(`${o.ws}/members/${o.approver.userId}`, {
          token: o.owner.token,
        });
        expect(removed.status).toBe(204);
      });
      const blocked = await other.untilStatus(post.id, 'blocked');
      expect(blocked.outcome.reasons).toEqual([expect.objectContaining({ code: 'stage_unsatisfied' })]);
      expect(receiver.forPost(post.id)).toHaveLength(1);
    });

    it('does not publish late when the retry comes back past the deadline: one call, then expired', async () => {
      const { other, post } = await retriedAfter(async (_o, postId) => {
        // As if the backoff had brought the retry back an hour later.
        await sql(`UPDATE posts SET scheduled_at = scheduled_at - interval '1 hour' WHERE id = $1`, [postId]);
      });
      const expired = await other.untilStatus(post.id, 'expired');
      expect(expired.outcome.reasons).toEqual([expect.objectContaining({ code: 'too_late' })]);
      expect(receiver.forPost(post.id)).toHaveLength(1);
    });

    it('does not call again once the content rules forbid the post: one call, then blocked', async () => {
      const { other, post } = await retriedAfter(async (o) => {
        const rules = await api.http.put(
          `${o.ws}/content-rules`,
          { blockedTerms: ['retried'], blockedPatterns: [], allowedLinkDomains: [], maxLength: {} },
          { token: o.owner.token },
        );
        expect(rules.status).toBe(200);
      });
      const blocked = await other.untilStatus(post.id, 'blocked');
      expect(blocked.outcome.reasons).toEqual([expect.objectContaining({ code: 'content_rules' })]);
      expect(receiver.forPost(post.id)).toHaveLength(1);
    });
  });

  it('blocks at publish time, by each rule kind, posts that break content rules tightened after approval', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const due = secondsFromNow(2);
    const term = await other.approvedPost(due, 'Flash sale: everything must go');
    const pattern = await other.approvedPost(due, 'Call 555-0100 today');
    const long = await other.approvedPost(due, 'x'.repeat(120));
    const linkPost = await api.http.post(
      `${other.ws}/posts`,
      {
        channelId: other.channelId,
        text: 'Read this',
        link: 'https://elsewhere.example/a',
        scheduledAt: due.toISOString(),
      },
      { token: other.owner.token },
    );
    await api.http.post(`${other.ws}/posts/${linkPost.body.id}/submit`, undefined, {
      token: other.owner.token,
    });
    await api.http.post(
      `${other.ws}/posts/${linkPost.body.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: other.approver.token },
    );

    const rules = await api.http.put(
      `${other.ws}/content-rules`,
      {
        blockedTerms: ['flash sale'],
        blockedPatterns: ['\\b\\d{3}-\\d{4}\\b'],
        allowedLinkDomains: ['acme.example'],
        maxLength: { linkedin: 100 },
      },
      { token: other.owner.token },
    );
    expect(rules.status).toBe(200);
    const reasonOf = async (id: string) => (await other.untilStatus(id, 'blocked')).outcome.reasons;
    expect(await reasonOf(term.id)).toEqual([
      { code: 'content_rules', violations: ['text: contains the blocked term "flash sale"'] },
    ]);
    expect((await reasonOf(pattern.id))[0].violations[0]).toMatch(/blocked pattern/);
    expect((await reasonOf(long.id))[0].violations[0]).toMatch(/allows 100 on linkedin/);
    expect((await reasonOf(linkPost.body.id))[0].violations[0]).toMatch(/^link: .* not on an allowed domain/);
    for (const id of [term.id, pattern.id, long.id, linkPost.body.id])
      expect(receiver.forPost(id)).toHaveLength(0);
  });

  it('sends nothing for a version edited after its job was queued', async () => {
    const due = secondsFromNow(1.5);
    const post = await w.approvedPost(due);
    const edited = await api.http.patch(
      `${w.ws}/posts/${post.id}`,
      { text: 'Edited at the last minute' },
      { token: w.owner.token, headers: { 'if-match': '"1"' } },
    );
    expect(edited.body).toMatchObject({ status: 'in_review', version: 2 });
    await pastTime(due);
    expect(receiver.forPost(post.id)).toHaveLength(0);
    expect((await w.status(post.id)).status).toBe('in_review');
  });

  it('retries 5xx with the same key: 500, 500, 200 -> published once, three attempts recorded', async () => {
    receiver.behaviour = (n) => ({ status: n < 2 ? 500 : 200 });
    const post = await w.approvedPost(secondsFromNow(1));
    await w.untilStatus(post.id, 'published');
    const calls = receiver.forPost(post.id);
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([
      `${post.id}-v1`,
      `${post.id}-v1`,
      `${post.id}-v1`,
    ]);
    const attempts = await sql(
      `SELECT attempt, outcome, status_code FROM publish_attempts WHERE post_id = $1 ORDER BY id`,
      [post.id],
    );
    expect(attempts).toEqual([
      { attempt: 1, outcome: 'retry', status_code: 500 },
      { attempt: 2, outcome: 'retry', status_code: 500 },
      { attempt: 3, outcome: 'published', status_code: 200 },
    ]);
  });

  it('fails a post the receiver refuses with 400, without retrying', async () => {
    receiver.behaviour = () => ({ status: 400 });
    const post = await w.approvedPost(secondsFromNow(1));
    const failed = await w.untilStatus(post.id, 'failed');
    expect(failed.outcome).toMatchObject({ statusCode: 400 });
    expect(receiver.forPost(post.id)).toHaveLength(1);
    const attempts = await sql(`SELECT outcome FROM publish_attempts WHERE post_id = $1`, [post.id]);
    expect(attempts).toEqual([{ outcome: 'failed' }]);
  });

  it('re-creates every job after FLUSHALL, and all 50 posts go out on time', async () => {
    const { due, posts } = await w.approvedPostsDueTogether(50, 4);
    // Once the relay has put the 50 jobs in Redis at their new time, lose them all:
    // only the reconciler can bring them back.
    const delayedKey = `${api.config.queuePrefix}:publish:delayed`;
    const ids = posts.map((p) => p.id);
    await waitFor(
      async () => {
        const [pending] = await sql(
          "SELECT count(*)::int AS n FROM outbox WHERE topic LIKE 'publish.%' AND payload->>'postId' = ANY($1)",
          [ids],
        );
        return pending.n === 0 && (await redis.client().zcard(delayedKey)) >= 50 ? true : undefined;
      },
      { what: '50 delayed jobs at their new time' },
    );
    await redis.flushAll();
    await receiver.until(() => posts.every((p) => receiver.forPost(p.id).length > 0), 20_000);
    for (const p of posts) {
      const calls = receiver.forPost(p.id);
      expect(calls).toHaveLength(1);
      expect(calls[0].at - due.getTime()).toBeLessThan(15 * 60_000);
    }
    const late = Math.max(...posts.map((p) => receiver.forPost(p.id)[0].at - due.getTime()));
    expect(late).toBeLessThan(3000);
  }, 40_000);

  it('takes a published post down: a signed delete with its externalId, status taken_down, audited', async () => {
    const post = await w.approvedPost(secondsFromNow(1), 'Oops');
    const published = await w.untilStatus(post.id, 'published');
    const path = `${w.ws}/posts/${post.id}/takedown`;

    expect(
      (await api.http.post(path, { reason: 'because' }, { token: w.owner.token })).body.errors[0].field,
    ).toBe('reason');
    receiver.behaviour = (_n, r) => ({ status: r.body?.event === 'post.delete' ? 503 : 200 });
    const refused = await api.http.post(path, { reason: 'error' }, { token: w.owner.token });
    expect(refused.status).toBe(502);
    expect((await w.status(post.id)).status).toBe('published');

    receiver.behaviour = () => ({ status: 200 });
    const res = await api.http.post(path, { reason: 'error', note: 'Wrong price' }, { token: w.owner.token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('taken_down');
    const deletes = receiver.forPost(post.id).filter((r) => r.body.event === 'post.delete');
    expect(deletes.at(-1)).toMatchObject({
      signatureValid: true,
      body: { externalId: published.externalId, reason: 'error' },
    });
    expect((await api.http.post(path, { reason: 'error' }, { token: w.owner.token })).status).toBe(409);
    const history = await api.http.get(`${w.ws}/posts/${post.id}/history`, { token: w.owner.token });
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'post.taken_down',
      after: { reason: 'error', note: 'Wrong price' },
    });
  });

  it('locks a workspace down: paused, API keys and other sessions refused, earlier sign-offs voided, one audit entry', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const post = await other.approvedPost(secondsFromNow(3600), 'Scheduled for later');
    const key = await apiKey(api.http, other.owner.token, other.owner.workspaceId, 'editor');
    const admin = await memberWithRole(api.http, other.owner.token, other.owner.workspaceId, 'admin');
    expect((await api.http.get(other.ws, { token: admin.token })).status).toBe(200);

    const res = await api.http.post(`${other.ws}/lockdown`, undefined, { token: other.owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workspace: { paused: true },
      apiKeysRevoked: [key.id],
      postsNeedingSignOff: [post.id],
    });

    expect((await api.http.get(other.ws, { token: key.key })).status).toBe(401);
    expect((await api.http.get(other.ws, { token: admin.token })).status).toBe(401);
    expect((await api.http.get(other.ws, { token: other.owner.token })).status).toBe(200);
    const relogin = await api.http.post('/v1/auth/login', { email: admin.email, password: PASSWORD });
    expect((await api.http.get(other.ws, { token: relogin.body.accessToken })).status).toBe(200);

    const voided = await other.status(post.id);
    expect(voided).toMatchObject({ status: 'in_review', version: 2 });
    expect(voided.review.stages[0].approvals).toEqual([]);
    const audit = await api.http.get(`${other.ws}/audit?limit=200`, { token: other.owner.token });
    const entries = audit.body.items.filter((e: any) => e.action === 'workspace.lockdown');
    expect(entries).toHaveLength(1);
    expect(entries[0].after).toMatchObject({
      apiKeysRevoked: [key.id],
      postsNeedingSignOff: [post.id],
      paused: true,
    });
  });

  it("ends the caller's other sessions too: only the session that ran the lockdown goes on", async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const admin = await memberWithRole(api.http, other.owner.token, other.owner.workspaceId, 'admin');
    const second = await api.http.post('/v1/auth/login', { email: admin.email, password: PASSWORD });
    expect(second.status).toBe(200);
    expect((await api.http.get(other.ws, { token: second.body.accessToken })).status).toBe(200);

    expect((await api.http.post(`${other.ws}/lockdown`, undefined, { token: admin.token })).status).toBe(200);
    expect((await api.http.get(other.ws, { token: admin.token })).status).toBe(200);
    expect((await api.http.get(other.ws, { token: second.body.accessToken })).status).toBe(401);
    const resume = await api.http.post(`${other.ws}/resume`, undefined, { token: second.body.accessToken });
    expect(resume.status).toBe(401);
    expect((await api.http.get(other.ws, { token: admin.token })).body.paused).toBe(true);
  });

  it('publishes an emergency post during a pause only after its emergency sign-off; the others stay stopped', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const admin2 = await memberWithRole(api.http, other.owner.token, other.owner.workspaceId, 'admin');
    const fastTrack = await api.http.post(
      `${other.ws}/workflows`,
      {
        name: 'Crisis response',
        emergency: true,
        stages: [{ name: 'Senior', approvers: { roles: ['admin'] }, required: 1 }],
      },
      { token: other.owner.token },
    );
    expect(fastTrack.body).toMatchObject({ emergency: true, isDefault: false });
    const normal = await other.approvedPost(secondsFromNow(2), 'Business as usual');
    await api.http.post(`${other.ws}/pause`, { reason: 'crisis' }, { token: other.owner.token });

    const editor = await memberWithRole(api.http, other.owner.token, other.owner.workspaceId, 'editor');
    const notAllowed = await api.http.post(
      `${other.ws}/posts`,
      {
        channelId: other.channelId,
        text: 'x',
        scheduledAt: secondsFromNow(60).toISOString(),
        workflowId: fastTrack.body.id,
      },
      { token: editor.token },
    );
    expect(notAllowed.status).toBe(403);

    const due = secondsFromNow(2);
    const response = await api.http.post(
      `${other.ws}/posts`,
      {
        channelId: other.channelId,
        text: 'Our statement',
        scheduledAt: due.toISOString(),
        workflowId: fastTrack.body.id,
      },
      { token: other.owner.token },
    );
    await api.http.post(`${other.ws}/posts/${response.body.id}/submit`, undefined, {
      token: other.owner.token,
    });
    // The owner wrote it, so the owner cannot sign it: the two-person rule holds on the fast track too.
    expect(
      (
        await api.http.post(
          `${other.ws}/posts/${response.body.id}/approvals`,
          { decision: 'approve', version: 1 },
          { token: other.owner.token },
        )
      ).status,
    ).toBe(403);
    const signed = await api.http.post(
      `${other.ws}/posts/${response.body.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: admin2.token },
    );
    expect(signed.body.status).toBe('approved');

    await other.untilStatus(response.body.id, 'published');
    expect(receiver.forPost(response.body.id)).toHaveLength(1);
    expect((await other.untilStatus(normal.id, 'blocked')).outcome.reasons).toEqual([
      { code: 'workspace_paused' },
    ]);
    expect(receiver.forPost(normal.id)).toHaveLength(0);

    const asDefault = await api.http.put(
      `${other.ws}/workflows/${fastTrack.body.id}`,
      {
        name: 'Crisis response',
        emergency: true,
        isDefault: true,
        stages: [{ name: 'Senior', approvers: { roles: ['admin'] }, required: 1 }],
      },
      { token: other.owner.token },
    );
    expect(asDefault.status).toBe(400);
    expect(asDefault.body.errors[0].field).toBe('isDefault');
  });

  it('delivers outbound webhooks once per event, signed, retried on 500, and across a worker restart', async () => {
    const tools = await new WebhookReceiver('tools-secret-0123456789').start();
    try {
      const other = await publishingWorld(api.http, receiver.url, SECRET);
      const sub = await api.http.post(
        `${other.ws}/webhooks`,
        {
          url: tools.url,
          secret: 'tools-secret-0123456789',
          events: ['post.submitted', 'post.approved', 'workspace.paused'],
        },
        { token: other.owner.token },
      );
      expect(sub.status).toBe(201);
      expect(sub.text).not.toContain('tools-secret');
      tools.behaviour = (n, r) => ({ status: r.body.type === 'post.approved' && n === 0 ? 500 : 200 });

      const post = await other.approvedPost(secondsFromNow(3600));
      await tools.until(() => tools.received.filter((r) => r.body.type === 'post.approved').length === 2);
      const byType = (type: string) => tools.received.filter((r) => r.body.type === type);
      expect(byType('post.submitted')).toHaveLength(1);
      expect(byType('post.submitted')[0]).toMatchObject({
        signatureValid: true,
        headers: { 'x-countersign-event': 'post.submitted' },
        body: { postId: post.id, workspaceId: other.owner.workspaceId },
      });
      const approvedKeys = byType('post.approved').map((r) => r.headers['idempotency-key']);
      expect(new Set(approvedKeys).size).toBe(1);

      // Stop the worker, raise an event, start a new worker: the event still arrives, once.
      await worker.close();
      await api.http.post(`${other.ws}/pause`, { reason: 'drill' }, { token: other.owner.token });
      worker = await startWorker(api.config);
      await tools.until(() => byType('workspace.paused').length === 1);

      // The log is written once the receiver has answered: wait for all three entries.
      const deliveries = await waitFor(
        async () => {
          const res = await api.http.get(`${other.ws}/webhooks/${sub.body.id}/deliveries`, {
            token: other.owner.token,
          });
          return res.body.items.length === 3 && res.body.items.every((d: any) => d.status === 'delivered')
            ? res
            : undefined;
        },
        { what: 'three delivered webhook events in the log' },
      );
      const approved = deliveries.body.items.find((d: any) => d.event === 'post.approved');
      expect(approved).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
      expect(deliveries.body.items.map((d: any) => d.event).sort()).toEqual([
        'post.approved',
        'post.submitted',
        'workspace.paused',
      ]);
      await api.http.post(`${other.ws}/resume`, undefined, { token: other.owner.token });
    } finally {
      await tools.stop();
    }
  });

  it('refuses publish-now until the gate allows it, then publishes at once', async () => {
    const other = await publishingWorld(api.http, receiver.url, SECRET);
    const later = secondsFromNow(3600);
    const draftPost = await api.http.post(
      `${other.ws}/posts`,
      { channelId: other.channelId, text: 'Now please', scheduledAt: later.toISOString() },
      { token: other.owner.token },
    );
    const refused = await api.http.post(`${other.ws}/posts/${draftPost.body.id}/publish-now`, undefined, {
      token: other.owner.token,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('not_approved');

    const post = await other.approvedPost(later, 'Urgent');
    const accepted = await api.http.post(`${other.ws}/posts/${post.id}/publish-now`, undefined, {
      token: other.owner.token,
    });
    expect(accepted.status).toBe(202);
    await other.untilStatus(post.id, 'published');
    expect(receiver.forPost(post.id)).toHaveLength(1);
  });
});
