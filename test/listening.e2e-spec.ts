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
});
