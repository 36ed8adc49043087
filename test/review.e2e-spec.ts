import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import {
  apiKey,
  channel,
  draft,
  memberWithRole,
  signUp,
  uniqueEmail,
  type SignedUp,
} from './support/factories';
import { startApi, type TestApi } from './support/test-app';

describe('Workflows, sign-offs and the audit log', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** A workspace with an author, a legal approver and three brand admins, under legal(1) -> brand(2 of 3). */
  async function brandWorkspace() {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const author = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
    const legal = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    const brand = [];
    for (let i = 0; i < 3; i++)
      brand.push(await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver'));
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const wf = await api.http.post(
      `${ws}/workflows`,
      {
        name: 'Legal then brand',
        isDefault: true,
        stages: [
          { name: 'Legal', approvers: { userIds: [legal.userId] }, required: 1 },
          { name: 'Brand', approvers: { userIds: brand.map((b) => b.userId) }, required: 2 },
        ],
      },
      { token: owner.token },
    );
    expect(wf.status).toBe(201);
    return { owner, ws, author, legal, brand, channelId: ch.id, workflowId: wf.body.id as string };
  }

  const approve = (ws: string, postId: string, who: SignedUp, version: number) =>
    api.http.post(`${ws}/posts/${postId}/approvals`, { decision: 'approve', version }, { token: who.token });

  it('walks a post through legal (1) and brand (2 of 3) to approved, reporting progress', async () => {
    const w = await brandWorkspace();
    const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
    const submitted = await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, {
      token: w.author.token,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('in_review');
    expect(submitted.body.review).toMatchObject({
      openStage: 0,
      stages: [
        { name: 'Legal', state: 'open' },
        { name: 'Brand', state: 'waiting' },
      ],
    });

    // Brand cannot sign before legal: stage 2 is not open yet.
    expect((await approve(w.ws, post.id, w.brand[0], 1)).status).toBe(403);
    const afterLegal = await approve(w.ws, post.id, w.legal, 1);
    expect(afterLegal.status).toBe(201);
    expect(afterLegal.body.review.openStage).toBe(1);
    expect((await approve(w.ws, post.id, w.brand[0], 1)).body.status).toBe('in_review');
    const done = await approve(w.ws, post.id, w.brand[2], 1);
    expect(done.body.status).toBe('approved');
    expect(
      done.body.review.stages.map((s: any) => [s.state, s.approvals.map((a: any) => a.userId).sort()]),
    ).toEqual([
      ['satisfied', [w.legal.userId]],
      ['satisfied', [w.brand[0].userId, w.brand[2].userId].sort()],
    ]);

    const history = await api.http.get(`${w.ws}/posts/${post.id}/history`, { token: w.owner.token });
    expect(history.body.items.map((e: any) => e.action)).toEqual([
      'post.created',
      'post.submitted',
      'post.signed_off',
      'post.signed_off',
      'post.signed_off',
      'post.approved',
    ]);
  });

  it('refuses self-approval (403), a stale version (409 naming the current one), and a second vote', async () => {
    const w = await brandWorkspace();
    // The owner is eligible (admin role in stage 1) and is the author here.
    await api.http.put(
      `${w.ws}/workflows/${w.workflowId}`,
      {
        name: 'Admins',
        isDefault: true,
        stages: [{ name: 'Any admin', approvers: { roles: ['owner', 'approver'] }, required: 1 }],
      },
      { token: w.owner.token },
    );
    const post = await draft(api.http, w.owner.token, w.owner.workspaceId, { channelId: w.channelId });
    await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.owner.token });
    const self = await approve(w.ws, post.id, w.owner, 1);
    expect(self.status).toBe(403);

    await api.http.patch(
      `${w.ws}/posts/${post.id}`,
      { text: 'changed' },
      { token: w.owner.token, headers: { 'if-match': '"1"' } },
    );
    const stale = await approve(w.ws, post.id, w.legal, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('version 2');

    const reject = await api.http.post(
      `${w.ws}/posts/${post.id}/approvals`,
      { decision: 'reject', version: 2 },
      { token: w.legal.token },
    );
    expect(reject.status).toBe(400);
    expect(reject.body.errors[0].field).toBe('comment');
  });

  it('resets sign-offs when an approved post is edited, back to stage 1', async () => {
    const w = await brandWorkspace();
    const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
    await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
    await approve(w.ws, post.id, w.legal, 1);
    await approve(w.ws, post.id, w.brand[0], 1);
    expect((await approve(w.ws, post.id, w.brand[1], 1)).body.status).toBe('approved');

    const edited = await api.http.patch(
      `${w.ws}/posts/${post.id}`,
      { text: 'Edited after approval' },
      { token: w.author.token, headers: { 'if-match': '"1"' } },
    );
    expect(edited.body).toMatchObject({ status: 'in_review', version: 2 });
    const now = await api.http.get(`${w.ws}/posts/${post.id}`, { token: w.owner.token });
    expect(now.body.review.openStage).toBe(0);
    expect(now.body.review.stages.every((s: any) => s.approvals.length === 0)).toBe(true);
    // A schedule-only change keeps the version (and the sign-offs) by default.
    await approve(w.ws, post.id, w.legal, 2);
    const moved = await api.http.patch(
      `${w.ws}/posts/${post.id}`,
      { scheduledAt: new Date(Date.now() + 7_200_000).toISOString() },
      { token: w.author.token, headers: { 'if-match': '"2"' } },
    );
    expect(moved.body.version).toBe(2);
    expect(
      (await api.http.get(`${w.ws}/posts/${post.id}`, { token: w.owner.token })).body.review.openStage,
    ).toBe(1);
  });

  it('turns a rejection into a veto until the content changes', async () => {
    const w = await brandWorkspace();
    const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
    await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
    const rejected = await api.http.post(
      `${w.ws}/posts/${post.id}/approvals`,
      { decision: 'reject', version: 1, comment: 'Wrong price' },
      { token: w.legal.token },
    );
    expect(rejected.body.status).toBe('changes_requested');
    expect(
      (await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token })).status,
    ).toBe(409);
    await api.http.patch(
      `${w.ws}/posts/${post.id}`,
      { text: 'Right price' },
      { token: w.author.token, headers: { 'if-match': '"1"' } },
    );
    expect(
      (await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token })).body
        .status,
    ).toBe('in_review');
  });

  it('takes an approved post back to review when an approver whose sign-off counted is removed', async () => {
    const w = await brandWorkspace();
    const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
    await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
    await approve(w.ws, post.id, w.legal, 1);
    await approve(w.ws, post.id, w.brand[0], 1);
    await approve(w.ws, post.id, w.brand[1], 1);
    await api.http.delete(`${w.ws}/members/${w.brand[1].userId}`, { token: w.owner.token });
    const now = await api.http.get(`${w.ws}/posts/${post.id}`, { token: w.owner.token });
    expect(now.body.status).toBe('in_review');
    expect(now.body.review.stages[1]).toMatchObject({
      state: 'open',
      approvals: [{ userId: w.brand[0].userId }],
    });
    expect((await approve(w.ws, post.id, w.brand[2], 1)).body.status).toBe('approved');
  });

  it('makes exactly one transition to approved when the last two sign-offs arrive at once', async () => {
    const w = await brandWorkspace();
    const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
    await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
    await approve(w.ws, post.id, w.legal, 1);
    await approve(w.ws, post.id, w.brand[0], 1);
    const results = await Promise.all([
      approve(w.ws, post.id, w.brand[1], 1),
      approve(w.ws, post.id, w.brand[2], 1),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const history = await api.http.get(`${w.ws}/posts/${post.id}/history`, { token: w.owner.token });
    expect(history.body.items.filter((e: any) => e.action === 'post.approved')).toHaveLength(1);
    expect((await api.http.get(`${w.ws}/posts/${post.id}`, { token: w.owner.token })).body.status).toBe(
      'approved',
    );
  });

  it('refuses to submit while the workspace has no workflow (409), and API keys cannot sign off', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
    const res = await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/no approval workflow/);
    const key = await apiKey(api.http, owner.token, owner.workspaceId, 'editor');
    expect(
      (
        await api.http.post(
          `${ws}/posts/${post.id}/approvals`,
          { decision: 'approve', version: 1 },
          { token: key.key },
        )
      ).status,
    ).toBe(403);
  });

  describe('workflow validation', () => {
    it.each([
      ['stages', { stages: [] }],
      ['stages[0].required', { stages: [{ name: 'S', approvers: { roles: ['admin'] }, required: 0 }] }],
      ['stages[0].required', { stages: [{ name: 'S', approvers: { roles: ['owner'] }, required: 2 }] }],
      [
        'stages[0].approvers.roles[0]',
        { stages: [{ name: 'S', approvers: { roles: ['contributor'] }, required: 1 }] },
      ],
      ['stages[0].approvers.roles', { stages: [{ name: 'S', approvers: { roles: ['boss'] }, required: 1 }] }],
      ['stages[0].approvers', { stages: [{ name: 'S', approvers: {}, required: 1 }] }],
    ])('refuses a bad %s', async (field, patch) => {
      const owner = await signUp(api.http);
      const res = await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/workflows`,
        { name: 'W', ...patch },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('refuses an approver from another workspace, naming the field', async () => {
      const owner = await signUp(api.http);
      const stranger = await signUp(api.http);
      const res = await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/workflows`,
        { name: 'W', stages: [{ name: 'S', approvers: { userIds: [stranger.userId] }, required: 1 }] },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({
        field: 'stages[0].approvers.userIds[0]',
        message: 'is not a member of this workspace',
      });
    });

    it('keeps the snapshot a post was submitted under when the workflow changes', async () => {
      const w = await brandWorkspace();
      const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
      await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
      const put = await api.http.put(
        `${w.ws}/workflows/${w.workflowId}`,
        {
          name: 'Just legal',
          isDefault: true,
          stages: [{ name: 'Legal', approvers: { userIds: [w.legal.userId] }, required: 1 }],
        },
        { token: w.owner.token },
      );
      expect(put.body.version).toBe(2);
      const after = await approve(w.ws, post.id, w.legal, 1);
      expect(after.body.status).toBe('in_review');
      expect(after.body.review.workflowVersion).toBe(1);
    });
  });

  describe('audit log', () => {
    const sql = async <T>(query: string, params: unknown[] = []): Promise<T[]> => {
      const db = new Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      try {
        return (await db.query(query, params)).rows as T[];
      } finally {
        await db.end();
      }
    };

    it('exports as NDJSON that the documented command verifies offline, and catches tampering', async () => {
      const w = await brandWorkspace();
      const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
      await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
      const exported = await api.http.get(`${w.ws}/audit/export`, { token: w.owner.token });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toMatch(/ndjson/);
      const lines = exported.text.trim().split('\n');
      expect(lines.length).toBeGreaterThan(5);

      const verify = (input: string) =>
        spawnSync(process.execPath, ['scripts/verify-audit.mjs'], { input, encoding: 'utf8' });
      const ok = verify(exported.text);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain(`ok: ${lines.length - 1} events`);

      const forged = lines.map((l, i) => (i === 2 ? l.replace('"action":"', '"action":"x') : l)).join('\n');
      expect(verify(forged).status).toBe(1);
      const gap = lines.filter((_, i) => i !== 3).join('\n');
      expect(verify(gap).stderr).toMatch(/^event 4: missing/);

      const ranged = await api.http.get(
        `${w.ws}/audit/export?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z`,
        { token: w.owner.token },
      );
      expect(JSON.parse(ranged.text)).toMatchObject({ end: true, count: 0, firstSeq: '', lastSeq: '' });
    });

    it('cannot be changed or deleted by the role the app connects as', async () => {
      const owner = await signUp(api.http);
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
      await expect(
        sql(`UPDATE audit_events SET action = 'forged' WHERE workspace_id = $1`, [owner.workspaceId]),
      ).rejects.toThrow(/append-only/);
      await expect(
        sql(`DELETE FROM audit_events WHERE workspace_id = $1`, [owner.workspaceId]),
      ).rejects.toThrow(/append-only/);
    });

    it('chains every event to the one before by hash, recomputable offline', async () => {
      const w = await brandWorkspace();
      const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
      await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
      const rows = await sql<any>(
        `SELECT workspace_id::text, seq::text, coalesce(post_id::text, '') AS post_id, actor_kind, coalesce(actor_id, '') AS actor_id,
                action, coalesce(version::text, '') AS version, coalesce(before::text, '') AS before, coalesce(after::text, '') AS after,
                coalesce(ip, '') AS ip, coalesce(user_agent, '') AS user_agent,
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, prev_hash, hash
           FROM audit_events WHERE workspace_id = $1 ORDER BY seq`,
        [w.owner.workspaceId],
      );
      expect(rows.length).toBeGreaterThan(3);
      let prev = '0'.repeat(64);
      rows.forEach((r, i) => {
        expect(r.seq).toBe(String(i + 1));
        expect(r.prev_hash).toBe(prev);
        const fields = [
          r.prev_hash,
          r.workspace_id,
          r.seq,
          r.post_id,
          r.actor_kind,
          r.actor_id,
          r.action,
          r.version,
          r.before,
          r.after,
          r.ip,
          r.user_agent,
          r.at,
        ];
        expect(createHash('sha256').update(fields.join('|')).digest('hex')).toBe(r.hash);
        prev = r.hash;
      });
      const api2 = await api.http.get(`${w.ws}/audit?limit=2`, { token: w.owner.token });
      expect(api2.body.items).toHaveLength(2);
      expect(api2.body.nextCursor).toEqual(expect.any(String));
      const page2 = await api.http.get(`${w.ws}/audit?limit=2&cursor=${api2.body.nextCursor}`, {
        token: w.owner.token,
      });
      expect(page2.body.items[0].prevHash).toBe(api2.body.items[1].hash);
      expect((await api.http.get(`${w.ws}/audit`, { token: w.author.token })).status).toBe(403);
    });

    it("names each entry's actor: the person, the API key, or nobody for the system", async () => {
      const w = await brandWorkspace();
      const key = await apiKey(api.http, w.owner.token, w.owner.workspaceId, 'editor');
      const byKey = await api.http.post(
        `${w.ws}/posts`,
        {
          channelId: w.channelId,
          text: 'From a key',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
        },
        { token: key.key },
      );
      expect(byKey.status).toBe(201);
      const all = await api.http.get(`${w.ws}/audit?limit=200`, { token: w.owner.token });
      const created = all.body.items.find(
        (e: any) => e.action === 'post.created' && e.postId === byKey.body.id,
      );
      expect(created.actor).toEqual({ kind: 'api-key', id: key.id, name: expect.any(String) });
      const added = all.body.items.find((e: any) => e.action === 'member.added');
      expect(added.actor).toEqual({ kind: 'user', id: w.owner.userId, name: 'Test User' });
      const trail = await api.http.get(`${w.ws}/posts/${byKey.body.id}/history`, { token: w.owner.token });
      expect(trail.body.items[0].actor.name).toBe(created.actor.name);
    });
  });

  it('lets a member invited later sign off only once they are eligible', async () => {
    const w = await brandWorkspace();
    const newcomer = await memberWithRole(api.http, w.owner.token, w.owner.workspaceId, 'approver');
    const post = await draft(api.http, w.author.token, w.owner.workspaceId, { channelId: w.channelId });
    await api.http.post(`${w.ws}/posts/${post.id}/submit`, undefined, { token: w.author.token });
    expect((await approve(w.ws, post.id, newcomer, 1)).status).toBe(403);
    expect(uniqueEmail()).toContain('@');
  });
});
