import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { channel, draft, memberWithRole, signUp, type SignedUp } from './support/factories';
import { Client } from 'pg';
import { startApi, type TestApi } from './support/test-app';

/** Mentions in from a listening tool: signed, deduplicated, scored, and the inbox over them. */
describe('Listening: mentions in', () => {
  let api: TestApi;
  let db: Client;
  beforeAll(async () => {
    api = await startApi();
    db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  async function brand() {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const ch = await channel(api.http, owner.token, owner.workspaceId, {
      name: 'Acme on Mastodon',
      network: 'mastodon',
    });
    const made = await api.http.post(
      `${ws}/listening/inbound-tokens`,
      { name: 'Brandwatch' },
      { token: owner.token },
    );
    expect(made.status).toBe(201);
    const url = new URL(made.body.url as string);
    const secret = made.body.secret as string;
    /** Posts `body` signed with the token's secret (or `sign` it otherwise). */
    const send = (
      body: unknown,
      sign: (id: string, at: Date, text: string) => string = (id, at, text) =>
        new Webhook(secret).sign(id, at, text),
      at = new Date(),
    ) => {
      const text = JSON.stringify(body);
      const id = `msg_${randomUUID()}`;
      return api.http.request('POST', url.pathname, {
        body: text,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': sign(id, at, text),
        },
      });
    };
    return { owner, ws, channelId: ch.id, path: url.pathname, secret, send };
  }

  const mention = (n: number, over: Record<string, unknown> = {}) => ({
    network: 'mastodon',
    externalId: `10${n}`,
    author: { handle: `@fan${n}@social.example`, name: `Fan ${n}` },
    text: 'Love the new spring menu!',
    url: `https://social.example/@fan${n}/10${n}`,
    createdAt: new Date(Date.now() - n * 1000).toISOString(),
    ...over,
  });

  it('stores signed mentions once each, scores their sentiment, and links replies to our post', async () => {
    const b = await brand();
    // Our post as published on the network (its status id set underneath).
    const ours = await draft(api.http, b.owner.token, b.owner.workspaceId, { channelId: b.channelId });
    await db.query(`UPDATE posts SET external_id = 'status-42' WHERE id = $1`, [ours.id]);
    const first = await b.send({
      mentions: [
        mention(1),
        mention(2, { text: 'This is awful, the worst brand ever. I hate it.', channelId: b.channelId }),
        mention(3, { text: "C'est une honte, horrible", language: 'fr', inReplyTo: 'status-42' }),
      ],
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ received: 3, stored: 3, duplicates: 0 });
    const again = await b.send({ mentions: [mention(1), mention(4)] });
    expect(again.body).toEqual({ received: 2, stored: 1, duplicates: 1 });

    const inbox = await api.http.get(`${b.ws}/mentions`, { token: b.owner.token });
    expect(inbox.body.items).toHaveLength(4);
    const negative = await api.http.get(`${b.ws}/mentions?sentiment=negative`, { token: b.owner.token });
    expect(negative.body.items.map((m: { externalId: string }) => m.externalId).sort()).toEqual([
      '102',
      '103',
    ]);
    expect(negative.body.items.every((m: { sentiment: number }) => m.sentiment < 0)).toBe(true);
    const byChannel = await api.http.get(`${b.ws}/mentions?channelId=${b.channelId}`, {
      token: b.owner.token,
    });
    expect(byChannel.body.items.map((m: { externalId: string }) => m.externalId)).toEqual(['102']);
    const replies = await api.http.get(`${b.ws}/mentions?postId=${ours.id}`, { token: b.owner.token });
    expect(replies.body.items).toEqual([
      expect.objectContaining({ externalId: '103', inReplyTo: 'status-42', postId: ours.id }),
    ]);

    // Handled, and assigned to a member (not to a stranger).
    const [latest] = inbox.body.items;
    const editor = await memberWithRole(api.http, b.owner.token, b.owner.workspaceId, 'editor');
    const handled = await api.http.patch(
      `${b.ws}/mentions/${latest.id}`,
      { status: 'handled', assigneeId: editor.userId },
      { token: editor.token },
    );
    expect(handled.body).toMatchObject({
      status: 'handled',
      assigneeId: editor.userId,
      handledAt: expect.any(String),
    });
    const stranger = await signUp(api.http);
    const bad = await api.http.patch(
      `${b.ws}/mentions/${latest.id}`,
      { assigneeId: stranger.userId },
      { token: editor.token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('assigneeId');
    expect(
      (await api.http.get(`${b.ws}/mentions?status=open`, { token: b.owner.token })).body.items,
    ).toHaveLength(3);
  });

  it("refuses a bad or stale signature, an unknown token, and a mention naming another workspace's channel", async () => {
    const b = await brand();
    const other = await brand();
    const body = { mentions: [mention(1)] };
    const forged = await b.send(body, (id, at, text) => new Webhook(other.secret).sign(id, at, text));
    expect(forged.status).toBe(401);
    const stale = await b.send(body, undefined, new Date(Date.now() - 10 * 60_000));
    expect(stale.status).toBe(401);
    const unsigned = await api.http.request('POST', b.path, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    // A signature over other bytes than those sent.
    const tampered = await api.http.request('POST', b.path, {
      body: JSON.stringify({ mentions: [mention(9)] }),
      headers: (() => {
        const id = 'msg_1';
        const at = new Date();
        return {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(b.secret).sign(id, at, JSON.stringify(body)),
        };
      })(),
    });
    expect(tampered.status).toBe(401);
    expect(
      (
        await api.http.request('POST', `/v1/inbound/mentions/${'A'.repeat(43)}`, {
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(404);
    const foreign = await b.send({ mentions: [mention(1, { channelId: other.channelId })] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].field).toBe('mentions[0].channelId');
    expect((await api.http.get(`${b.ws}/mentions`, { token: b.owner.token })).body.items).toHaveLength(0);
  });

  it('takes a batch of 1,000 and refuses 1,001, bad fields by name', async () => {
    const b = await brand();
    const batch = Array.from({ length: 1000 }, (_, i) => mention(i));
    const big = await b.send({ mentions: batch });
    expect(big.body).toEqual({ received: 1000, stored: 1000, duplicates: 0 });
    const over = await b.send({ mentions: [...batch, mention(1000)] });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].field).toBe('mentions');
    for (const [patch, field] of [
      [{ externalId: '' }, 'mentions[0].externalId'],
      [{ createdAt: 'yesterday' }, 'mentions[0].createdAt'],
      [{ author: {} }, 'mentions[0].author.handle'],
      [{ language: 'not a language' }, 'mentions[0].language'],
      [{ mood: 'angry' }, 'mentions[0].mood'],
    ] as const) {
      const res = await b.send({ mentions: [mention(5000, patch)] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('keeps the inbox and the watch to the brand: contributors and other workspaces are refused', async () => {
    const b = await brand();
    const agency: SignedUp = await memberWithRole(
      api.http,
      b.owner.token,
      b.owner.workspaceId,
      'contributor',
    );
    expect((await api.http.get(`${b.ws}/mentions`, { token: agency.token })).status).toBe(403);
    const watch = await api.http.get(`${b.ws}/listening/watch`, { token: b.owner.token });
    expect(watch.body).toMatchObject({
      windowMinutes: 10,
      minMentions: 20,
      factor: 4,
      action: 'notify',
      cooldownMinutes: 60,
    });
    const set = await api.http.put(
      `${b.ws}/listening/watch`,
      { action: 'pause', negativeShare: 0.5, minMentions: 30 },
      { token: b.owner.token },
    );
    expect(set.body).toMatchObject({
      action: 'pause',
      negativeShare: 0.5,
      minMentions: 30,
      windowMinutes: 10,
    });
    const editor = await memberWithRole(api.http, b.owner.token, b.owner.workspaceId, 'editor');
    expect(
      (await api.http.put(`${b.ws}/listening/watch`, { action: 'notify' }, { token: editor.token })).status,
    ).toBe(403);
    for (const [body, field] of [
      [{ action: 'panic' }, 'action'],
      [{ action: 'pause', negativeShare: 2 }, 'negativeShare'],
      [{ action: 'pause', windowMinutes: 0 }, 'windowMinutes'],
    ] as const) {
      const res = await api.http.put(`${b.ws}/listening/watch`, body, { token: b.owner.token });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
    const other = await brand();
    expect((await api.http.get(`${other.ws}/mentions`, { token: b.owner.token })).status).toBe(404);
    await other.send({ mentions: [mention(1)] });
    const theirs = (await api.http.get(`${other.ws}/mentions`, { token: other.owner.token })).body.items[0];
    expect(
      (await api.http.patch(`${b.ws}/mentions/${theirs.id}`, { status: 'handled' }, { token: b.owner.token }))
        .status,
    ).toBe(404);
  });
  /** A mention of the brand's channel as if read from it: one a reply can answer. */
  async function replyable(b: Awaited<ReturnType<typeof brand>>, n: number): Promise<string> {
    await b.send({ mentions: [mention(n, { externalId: `r${n}` })] });
    const { rows } = await db.query<{ id: string }>(
      `UPDATE mentions SET channel_id = $2, reply_ref = jsonb_build_object('network', 'mastodon', 'statusId', external_id)
        WHERE workspace_id = $1 AND external_id = $3 RETURNING id`,
      [b.owner.workspaceId, b.channelId, `r${n}`],
    );
    return rows[0].id;
  }

  it('drafts a reply only where the network can take one, for those who handle mentions, with its fields checked', async () => {
    const b = await brand();
    await b.send({ mentions: [mention(1)] });
    const fromTool = (await api.http.get(`${b.ws}/mentions`, { token: b.owner.token })).body.items[0];
    expect(fromTool.canReply).toBe(false);
    const refused = await api.http.post(
      `${b.ws}/mentions/${fromTool.id}/reply`,
      { text: 'Thanks!' },
      { token: b.owner.token },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/listening tool/);

    const id = await replyable(b, 2);
    const path = `${b.ws}/mentions/${id}/reply`;
    for (const role of ['contributor', 'approver'] as const) {
      const member = await memberWithRole(api.http, b.owner.token, b.owner.workspaceId, role);
      expect((await api.http.post(path, { text: 'Hi' }, { token: member.token })).status).toBe(403);
    }
    // An editor may answer, but not choose a workflow (the emergency one is for owners and admins).
    const editor = await memberWithRole(api.http, b.owner.token, b.owner.workspaceId, 'editor');
    // (a stage needs someone who can sign it: an admin)
    await memberWithRole(api.http, b.owner.token, b.owner.workspaceId, 'admin');
    const crisis = await api.http.post(
      `${b.ws}/workflows`,
      {
        name: 'Crisis',
        emergency: true,
        stages: [{ name: 'Senior', approvers: { roles: ['admin'] }, required: 1 }],
      },
      { token: b.owner.token },
    );
    expect(crisis.status).toBe(201);
    expect(
      (await api.http.post(path, { text: 'Hi', workflowId: crisis.body.id }, { token: editor.token })).status,
    ).toBe(403);
    for (const [body, field] of [
      [{ text: '' }, 'text'],
      [{ text: 'Hi', channelId: b.channelId }, 'channelId'],
      [{ text: 'Hi', scheduledAt: '2020-01-01T00:00:00Z' }, 'scheduledAt'],
      [{ text: 'x'.repeat(600) }, 'text'],
      [{ text: 'Hi\u0000' }, 'text'],
    ] as const) {
      const res = await api.http.post(path, body, { token: b.owner.token });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await api.http.get(`${b.ws}/posts`, { token: b.owner.token })).body.items).toHaveLength(0);

    const other = await brand();
    const theirs = await replyable(other, 3);
    expect(
      (await api.http.post(`${b.ws}/mentions/${theirs}/reply`, { text: 'Hi' }, { token: b.owner.token }))
        .status,
    ).toBe(404);
    expect(
      (await api.http.post(`${b.ws}/mentions/not-a-uuid/reply`, { text: 'Hi' }, { token: b.owner.token }))
        .status,
    ).toBe(404);

    const made = await api.http.post(path, { text: 'Thanks @fan2@social.example!' }, { token: editor.token });
    expect(made.status).toBe(201);
    // Named already: not named twice. Due five minutes from now unless told.
    expect(made.body.text).toBe('Thanks @fan2@social.example!');
    const due = new Date(made.body.scheduledAt).getTime() - Date.now();
    expect(due).toBeGreaterThan(4 * 60_000);
    expect(due).toBeLessThanOrEqual(5 * 60_000);
  });

  it('counts mentions per hour against the same hour a week before, with the posts answered and the time to reply', async () => {
    const b = await brand();
    const ours = await draft(api.http, b.owner.token, b.owner.workspaceId, { channelId: b.channelId });
    await db.query(`UPDATE posts SET external_id = 'status-7' WHERE id = $1`, [ours.id]);
    const to = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
    const from = new Date(to.getTime() - 3 * 3600_000);
    // A history of two mentions an hour for nine days, then 10 (6 negative, answering our post) in the last hour.
    await db.query(
      `INSERT INTO mentions (workspace_id, network, external_id, author_handle, text, sentiment, negative, created_at)
       SELECT $1, 'mastodon', 'h' || n, '@regular@social.example', 'Nice', 0.2, false,
              $2::timestamptz - interval '9 days' + n * interval '30 minutes'
         FROM generate_series(0, 9 * 48 - 3) n`,
      [b.owner.workspaceId, to],
    );
    await db.query(
      `INSERT INTO mentions (workspace_id, network, external_id, author_handle, text, sentiment, negative, created_at,
                             in_reply_to, post_id, replied_at)
       SELECT $1, 'mastodon', 's' || n, '@angry@social.example', 'Awful', -1, n < 6, $2::timestamptz - n * interval '5 minutes',
              'status-7', $3, CASE WHEN n <= 2 THEN $2::timestamptz - n * interval '5 minutes' + n * interval '1 minute' END
         FROM generate_series(1, 10) n`,
      [b.owner.workspaceId, to, ours.id],
    );
    const query = `from=${from.toISOString()}&to=${to.toISOString()}&bucket=1h`;
    const stats = await api.http.get(`${b.ws}/mentions/stats?${query}`, { token: b.owner.token });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: '1h',
      total: 14,
      negative: 5,
      spikes: [],
      posts: [{ postId: ours.id, mentions: 10, negative: 5 }],
      replies: { answered: 2, medianResponseSeconds: 90 },
    });
    expect(
      stats.body.buckets.map((x: Record<string, unknown>) => [x.count, x.negative, x.baseline, x.spike]),
    ).toEqual([
      [2, 0, 2, false],
      [2, 0, 2, false],
      [10, 5, 2, false],
    ]);
    expect(stats.body.buckets[2].negativeShare).toBe(0.5);

    const chart = await api.http.get(`${b.ws}/mentions/stats.svg?${query}`, { token: b.owner.token });
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(chart.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(chart.text).toContain('Mentions per 1h');

    for (const [q, field] of [
      ['bucket=2m', 'bucket'],
      [`from=${to.toISOString()}&to=${from.toISOString()}`, 'to'],
      ['bucket=5m&from=2020-01-01T00:00:00Z', 'from'],
      ['channelId=nope', 'channelId'],
      ['since=yesterday', 'since'],
    ]) {
      const res = await api.http.get(`${b.ws}/mentions/stats?${q}`, { token: b.owner.token });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
