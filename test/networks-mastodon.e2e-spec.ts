import { launchBrowser } from './support/browser';
import { signUp } from './support/factories';
import { startMediaFiles } from './support/fake-network';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { MastodonServer } from './support/mastodon-server';
import { networkTeams, type Team } from './support/network-team';
import { waitFor } from './support/wait-for';

describe('Publishing to Mastodon', () => {
  let world: MailWorld;
  let mastodon: MastodonServer;
  let files: Awaited<ReturnType<typeof startMediaFiles>>;
  let filesUrl: string;

  beforeAll(async () => {
    mastodon = await new MastodonServer().start();
    mastodon.maxCharacters = 600;
    files = await startMediaFiles();
    filesUrl = files.url;
    world = await startMailWorld({ PUBLISH_RETRY_BASE_MS: '100', LISTEN_EVERY_MS: '300' });
  });
  afterAll(async () => {
    await world.close();
    await mastodon.stop();
    await files.stop();
  });

  /** Connects the instance's account by OAuth, as a person in a browser would. */
  /** Starts connecting and says yes on the instance: the confirmation page it comes back to. */
  const authorize = async (t: Team, body: Record<string, unknown> = {}) => {
    const started = await world.api.http.post(
      `${t.ws}/channels/connect/mastodon`,
      { instanceUrl: mastodon.url, name: 'Acme on Mastodon', ...body },
      { token: t.owner.token },
    );
    expect(started.status).toBe(200);
    const consent = await fetch(started.body.authorizeUrl, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.pathname).toBe('/v1/oauth/mastodon/callback');
    return world.api.http.get(`${callback.pathname}${callback.search}`, { offContract: true });
  };

  /** The confirmation page's form, sent with `decision` (and its fields changed by `overrides`). */
  const answer = (page: string, decision: string, overrides: Record<string, string> = {}) => {
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
    const fields = { state: field('state'), confirm: field('confirm'), decision, ...overrides };
    return world.api.http.post('/v1/oauth/mastodon/callback', new URLSearchParams(fields).toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      offContract: true,
    });
  };

  /** Connects the instance's account by OAuth, as a person in a browser would: yes there, then confirm here. */
  const connect = async (t: Team, body: Record<string, unknown> = {}) => {
    const page = await authorize(t, body);
    expect(page.status).toBe(200);
    return answer(page.text, 'connect');
  };

  const mastodonChannel = async (t: Team): Promise<string> => {
    const page = await connect(t);
    expect(page.status).toBe(200);
    const list = await world.api.http.get(`${t.ws}/channels`, { token: t.owner.token });
    return list.body.items.find((c: { publisher: { kind: string } }) => c.publisher.kind === 'mastodon').id;
  };

  /** An approved post, sent out now through the gate. */
  const { team, approvedPost, publishNow, untilStatus } = networkTeams(() => world.api.http);

  it('connects an account by OAuth (PKCE, single-use state) and never shows its token', async () => {
    const t = await team();
    const page = await connect(t);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Acme on Mastodon \(mastodon\) publishes as @acme@127\.0\.0\.1/);

    const list = await world.api.http.get(`${t.ws}/channels`, { token: t.owner.token });
    const [channel] = list.body.items;
    expect(channel).toMatchObject({
      network: 'mastodon',
      handle: expect.stringMatching(/^@acme@/),
      maxCharacters: 600,
      publisher: { kind: 'mastodon', serviceUrl: mastodon.url, account: { id: '1' } },
      connection: { needsReconnect: null },
    });
    // The token is sealed at rest and in no answer.
    const [token] = [...mastodon.tokens].slice(-1);
    expect(list.text).not.toContain(token);
    const stored = await world.db.query(`SELECT publisher_credentials FROM channels WHERE id = $1`, [
      channel.id,
    ]);
    expect(stored.rows[0].publisher_credentials).toMatch(/^v1\./);
    expect(stored.rows[0].publisher_credentials).not.toContain(token);
    // One app per instance, kept: a second connection registers none.
    await connect(t);
    expect(mastodon.apps).toHaveLength(1);
  });

  it('registers a new app when the one kept was made for fewer scopes (it could not be authorized for more)', async () => {
    const t = await team();
    const redirectUri = `${world.api.config.publicUrl}/v1/oauth/mastodon/callback`;
    // Another instance's address, so the kept app is only the one this test writes.
    const other = await new MastodonServer().start();
    try {
      await world.db.query(
        `INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id, client_secret)
         VALUES ($1, $2, 'read:accounts write:statuses write:media', 'old-client', 'v1.x.x.x.x')`,
        [other.url, redirectUri],
      );
      const started = await world.api.http.post(
        `${t.ws}/channels/connect/mastodon`,
        { instanceUrl: other.url, name: 'Acme elsewhere' },
        { token: t.owner.token },
      );
      expect(started.status).toBe(200);
      expect(other.apps).toHaveLength(1);
      const authorize = new URL(started.body.authorizeUrl as string);
      expect(authorize.searchParams.get('client_id')).toBe(other.apps[0].clientId);
      expect(authorize.searchParams.get('scope')).toBe(
        'read:accounts read:notifications write:statuses write:media',
      );
    } finally {
      await other.stop();
    }
  });

  it('refuses a callback with a state it did not make, or one used already', async () => {
    const t = await team();
    const forged = await world.api.http.get('/v1/oauth/mastodon/callback?code=abc&state=forged', {
      offContract: true,
    });
    expect(forged.status).toBe(400);
    expect(forged.text).toMatch(/state.*unknown, used or expired/);

    const started = await world.api.http.post(
      `${t.ws}/channels/connect/mastodon`,
      { instanceUrl: mastodon.url, name: 'Twice' },
      { token: t.owner.token },
    );
    const back = new URL(
      (await fetch(started.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!,
    );
    expect((await world.api.http.get(`${back.pathname}${back.search}`, { offContract: true })).status).toBe(
      200,
    );
    const again = await world.api.http.get(`${back.pathname}${back.search}`, { offContract: true });
    expect(again.status).toBe(400);
    const declined = await world.api.http.get('/v1/oauth/mastodon/callback?error=access_denied', {
      offContract: true,
    });
    expect(declined.status).toBe(400);
  });

  it("connects nothing until the account's owner confirms, on a page naming the workspace and who asked", async () => {
    // Mallory starts connecting to her own workspace and sends the authorize link to the brand's account owner.
    const mallory = await team();
    const channels = async () =>
      (await world.api.http.get(`${mallory.ws}/channels`, { token: mallory.owner.token })).body.items;
    const page = await authorize(mallory);
    expect(page.text).toContain('Connect @acme@127.0.0.1');
    expect(page.text).toContain('Acme Coffee');
    expect(page.text).toContain(mallory.owner.email);
    expect(await channels()).toEqual([]);

    // Knowing the state is not enough: the page's own token must come with it.
    const forged = await answer(page.text, 'connect', { confirm: 'guessed' });
    expect(forged.status).toBe(400);
    expect(await channels()).toEqual([]);

    // The owner cancels: nothing is connected, and the page cannot be confirmed afterwards.
    const next = await authorize(mallory);
    expect((await answer(next.text, 'cancel')).text).toMatch(/Nothing was connected/);
    expect((await answer(next.text, 'connect')).status).toBe(400);
    expect(await channels()).toEqual([]);
  });

  it('is confirmed in a real browser: the page names the account, the button connects it', async () => {
    const t = await team();
    const started = await world.api.http.post(
      `${t.ws}/channels/connect/mastodon`,
      { instanceUrl: mastodon.url, name: 'Acme on Mastodon' },
      { token: t.owner.token },
    );
    const back = new URL(
      (await fetch(started.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!,
    );
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${world.api.http.baseUrl}${back.pathname}${back.search}`);
      await page.getByRole('heading', { name: /^Connect @acme@/ }).waitFor();
      await page.getByRole('button', { name: /^Connect @acme@/ }).click();
      await page.getByRole('heading', { name: 'Account connected' }).waitFor();
      expect(await page.textContent('body')).toMatch(/Acme on Mastodon \(mastodon\) publishes as @acme@/);
    } finally {
      await browser.close();
    }
    const list = await world.api.http.get(`${t.ws}/channels`, { token: t.owner.token });
    expect(list.body.items).toHaveLength(1);
  });

  it('lets only those who manage channels connect, and only to addresses the outbound policy allows', async () => {
    const t = await team();
    const asApprover = await world.api.http.post(
      `${t.ws}/channels/connect/mastodon`,
      { instanceUrl: mastodon.url, name: 'Mine' },
      { token: t.approver.token },
    );
    expect(asApprover.status).toBe(403);
    const internal = await world.api.http.post(
      `${t.ws}/channels/connect/mastodon`,
      { instanceUrl: 'http://10.0.0.8', name: 'Internal' },
      { token: t.owner.token },
    );
    expect(internal.status).toBe(400);
    expect(internal.body.errors[0].field).toBe('instanceUrl');
    const unknownField = await world.api.http.post(
      `${t.ws}/channels/connect/mastodon`,
      { instanceUrl: mastodon.url, name: 'X', scope: 'admin' },
      { token: t.owner.token },
    );
    expect(unknownField.status).toBe(400);
  });

  it('publishes once, with the image uploaded and waited for, and records the status id and URL', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    mastodon.mediaPolls = 2;
    const postId = await publishNow(t, channelId, {
      mediaUrls: [`${filesUrl}/spring.png`],
      mediaAlt: ['A latte with a fern drawn in the foam'],
      link: 'https://acme.example/spring',
    });
    const published = await untilStatus(t, postId, 'published');
    mastodon.mediaPolls = 0;
    const status = mastodon.live().find((s) => s.id === published.externalId)!;
    expect(status.text).toBe('Spring menu is here\n\nhttps://acme.example/spring');
    expect(status.idempotencyKey).toBe(`${postId}-v1`);
    expect(mastodon.media.get(status.mediaIds[0])).toMatchObject({
      contentType: 'image/png',
      pollsLeft: 0,
      description: 'A latte with a fern drawn in the foam',
    });
    expect(published.externalUrl ?? published.url).toBe(`${mastodon.url}/@acme/${status.id}`);
  });

  it('sends the content warning, visibility and language signed off, and counts the warning toward the limit', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const postId = await publishNow(t, channelId, {
      text: 'Who wins tonight?',
      contentWarning: 'Finale spoilers',
      visibility: 'unlisted',
      language: 'pt-BR',
    });
    const published = await untilStatus(t, postId, 'published');
    const status = mastodon.live().find((s) => s.id === published.externalId)!;
    expect(status).toMatchObject({
      text: 'Who wins tonight?',
      spoilerText: 'Finale spoilers',
      visibility: 'unlisted',
      language: 'pt',
    });
    // Without a visibility a post is public, whatever the account's default.
    const plain = await untilStatus(t, await publishNow(t, channelId, { text: 'Open to all' }), 'published');
    expect(mastodon.live().find((s) => s.id === plain.externalId)).toMatchObject({
      visibility: 'public',
      spoilerText: '',
    });

    // 590 characters fit the instance's 600; with a 20-character warning they do not.
    const at = new Date(Date.now() + 3600_000).toISOString();
    const over = await world.api.http.post(
      `${t.ws}/posts`,
      { channelId, text: 'x'.repeat(590), contentWarning: 'y'.repeat(20), scheduledAt: at },
      { token: t.owner.token },
    );
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { field: 'text', message: expect.stringMatching(/is 610 characters with its content warning/) },
    ]);
    for (const [field, value] of <Array<[string, string | null]>>[
      ['visibility', 'followers'],
      ['language', 'not a language'],
      ['contentWarning', ''],
      ['visibility', null],
    ]) {
      const bad = await world.api.http.post(
        `${t.ws}/posts`,
        { channelId, text: 'Hi', [field]: value, scheduledAt: at },
        { token: t.owner.token },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe(field);
    }
  });

  it("reads the account's mentions into the inbox once each, going on from its cursor, and links replies to our status", async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const published = await untilStatus(
      t,
      await publishNow(t, channelId, { text: 'New menu!' }),
      'published',
    );
    mastodon.mention('lee@social.example', 'Love it <3 & more');
    mastodon.mention(
      'kim@social.example',
      'This is awful, worst menu ever. I hate it.',
      published.externalId,
    );
    const inbox = (query = '') =>
      world.api.http.get(`${t.ws}/mentions?channelId=${channelId}${query}`, { token: t.owner.token });
    const first = await waitFor(
      async () => ((await inbox()).body.items.length >= 2 ? (await inbox()).body : undefined),
      {
        what: 'two mentions read',
      },
    );
    expect(first.items.map((m: { text: string }) => m.text).sort()).toEqual([
      'Love it <3 & more',
      'This is awful, worst menu ever. I hate it.',
    ]);
    const angry = first.items.find((m: { authorHandle: string }) => m.authorHandle === '@kim@social.example');
    expect(angry).toMatchObject({
      negative: true,
      postId: published.id,
      inReplyTo: published.externalId,
      network: 'mastodon',
    });
    // A third arrives: read from the cursor on; then the cursor is forgotten (as after a lost row) and nothing doubles.
    mastodon.mention('ana@social.example', 'Where is the oat latte?');
    await waitFor(async () => ((await inbox()).body.items.length >= 3 ? true : undefined), {
      what: 'the third mention',
    });
    await world.db.query(`DELETE FROM mention_cursors WHERE channel_id = $1`, [channelId]);
    await waitFor(
      async () =>
        (await world.db.query(`SELECT 1 FROM mention_cursors WHERE channel_id = $1`, [channelId])).rowCount
          ? true
          : undefined,
      { what: 'a poll from the start' },
    );
    expect((await inbox()).body.items).toHaveLength(3);
    const asked = mastodon.requests.filter((r) => r.path === '/api/v1/notifications');
    expect(asked.length).toBeGreaterThan(2);
  });

  it('answers a mention with a reply that is signed off and gated like any post: in_reply_to_id, the author named, the time to reply kept', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const notification = mastodon.mention('kim@social.example', 'Where is my order? Nobody answers.');
    const status = mastodon.notifications.find((n) => n.id === notification)!.status as { id: string };
    const inbox = () =>
      world.api.http.get(`${t.ws}/mentions?channelId=${channelId}`, { token: t.owner.token });
    // (the instance is the suite's: a new channel reads its newest page, earlier tests' mentions too)
    // Kim has mentioned the account before (an earlier test): this mention is found by its status id.
    const kim = async () =>
      (await inbox()).body.items.find((m: { externalId: string }) => m.externalId === status.id);
    const mention = await waitFor(kim, { what: "Kim's mention read" });
    expect(mention).toMatchObject({ canReply: true, repliedAt: null, responseSeconds: null });

    const made = await world.api.http.post(
      `${t.ws}/mentions/${mention.id}/reply`,
      { text: 'Sorry! Please send us your order number and we will sort it out today.' },
      { token: t.owner.token },
    );
    expect(made.status).toBe(201);
    expect(made.headers.get('location')).toBe(`${t.ws}/posts/${made.body.id}`);
    expect(made.body).toMatchObject({
      status: 'draft',
      channelId,
      replyToMentionId: mention.id,
      // Mastodon tells only those named: the author is named first, as its own reply box does.
      text: '@kim@social.example Sorry! Please send us your order number and we will sort it out today.',
    });
    const replyId = made.body.id as string;

    // Not signed off: the gate refuses it now, and nothing reaches the instance.
    const early = await world.api.http.post(`${t.ws}/posts/${replyId}/publish-now`, undefined, {
      token: t.owner.token,
    });
    expect(early.status).toBe(409);
    expect(mastodon.statuses.filter((s) => s.inReplyToId !== null)).toHaveLength(0);
    // A reply stays where the mention is: it cannot be moved to another account.
    const other = await world.api.http.post(
      `${t.ws}/channels`,
      { name: 'Elsewhere', network: 'x', publisher: { kind: 'log' } },
      { token: t.owner.token },
    );
    const moved = await world.api.http.patch(
      `${t.ws}/posts/${replyId}`,
      { channelId: other.body.id },
      { token: t.owner.token, headers: { 'if-match': '"1"' } },
    );
    expect(moved.status).toBe(400);
    expect(moved.body.errors).toEqual([
      { field: 'channelId', message: 'a reply stays on the channel of the mention it answers' },
    ]);

    await world.api.http.post(`${t.ws}/posts/${replyId}/submit`, undefined, { token: t.owner.token });
    const approved = await world.api.http.post(
      `${t.ws}/posts/${replyId}/approvals`,
      { decision: 'approve', version: 1 },
      { token: t.approver.token },
    );
    expect(approved.body.status).toBe('approved');
    await world.api.http.post(`${t.ws}/posts/${replyId}/publish-now`, undefined, { token: t.owner.token });
    await untilStatus(t, replyId, 'published');
    const sent = mastodon.live().filter((s) => s.inReplyToId !== null);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ inReplyToId: status.id, text: made.body.text });

    const answered = await kim();
    expect(answered.repliedAt).not.toBeNull();
    expect(answered.responseSeconds).toBeGreaterThanOrEqual(0);
    expect(new Date(answered.repliedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(answered.createdAt).getTime(),
    );
  });

  it('makes one status when an answer is lost and the post is tried again (Idempotency-Key)', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const before = mastodon.live().length;
    mastodon.loseAnswers('POST /api/v1/statuses', 1);
    const postId = await publishNow(t, channelId, { text: 'Only once' });
    await untilStatus(t, postId, 'published');
    expect(mastodon.live().length - before).toBe(1);
    const tries = mastodon.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses');
    expect(tries.length).toBeGreaterThanOrEqual(2);
  });

  it('waits for the reset a 429 gives, then publishes', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const reset = new Date(Date.now() + 2000);
    mastodon.failNext('POST /api/v1/statuses', {
      status: 429,
      body: { error: 'Too many requests' },
      headers: {
        'x-ratelimit-limit': '300',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': reset.toISOString(),
      },
    });
    const postId = await publishNow(t, channelId, { text: 'After the limit' });
    const published = await untilStatus(t, postId, 'published');
    expect(new Date(published.publishedAt).getTime()).toBeGreaterThanOrEqual(reset.getTime() - 50);
  });

  it("holds the channel's next post until the reset when an answer says the window is used up, without a 429", async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    mastodon.statusesLeft = 1;
    mastodon.windowResetsAt = new Date(Date.now() + 2500);
    try {
      await untilStatus(t, await publishNow(t, channelId, { text: 'Last of the window' }), 'published');
      const next = await untilStatus(t, await publishNow(t, channelId, { text: 'Next window' }), 'published');
      expect(new Date(next.publishedAt).getTime()).toBeGreaterThanOrEqual(
        mastodon.windowResetsAt.getTime() - 50,
      );
      expect(mastodon.limited).toBe(0);
    } finally {
      mastodon.statusesLeft = Infinity;
    }
  });

  it("fails a post the instance refuses, with the instance's message", async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    mastodon.failNext('POST /api/v1/statuses', {
      status: 422,
      body: { error: 'Validation failed: Text character limit of 600 exceeded' },
    });
    const postId = await publishNow(t, channelId, { text: 'Refused' });
    const failed = await untilStatus(t, postId, 'failed');
    expect(JSON.stringify(failed.outcome)).toMatch(
      /Mastodon answered 422: Validation failed: Text character limit/,
    );
  });

  it("counts text against the instance's own limit at create", async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const fits = await world.api.http.post(
      `${t.ws}/posts`,
      { channelId, text: 'a'.repeat(590), scheduledAt: new Date(Date.now() + 3600_000).toISOString() },
      { token: t.owner.token },
    );
    expect(fits.status).toBe(201);
    const tooLong = await world.api.http.post(
      `${t.ws}/posts`,
      {
        channelId,
        text: 'a'.repeat(580),
        link: 'https://acme.example/a-long-link-counted-as-23',
        scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      },
      { token: t.owner.token },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0]).toMatchObject({
      field: 'text',
      message: expect.stringMatching(/is 605 characters.*at most 600/),
    });
  });

  it('takes a post down by deleting its status', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const postId = await publishNow(t, channelId, { text: 'Regrettable' });
    const published = await untilStatus(t, postId, 'published');
    const down = await world.api.http.post(
      `${t.ws}/posts/${postId}/takedown`,
      { reason: 'error', note: 'Wrong price' },
      { token: t.owner.token },
    );
    expect(down.status).toBe(200);
    expect(mastodon.statuses.find((s) => s.id === published.externalId)?.deleted).toBe(true);
  });

  it('blocks posts of a channel whose token stopped working, tells the admins once, and publishes again after reconnecting', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    mastodon.revokeTokens();
    const first = await publishNow(t, channelId, { text: 'Token gone' });
    const blocked = await untilStatus(t, first, 'blocked');
    expect(blocked.outcome.reasons).toEqual([
      expect.objectContaining({
        code: 'channel_needs_reconnect',
        reason: expect.stringMatching(/Mastodon answered 401/),
      }),
    ]);
    const reconnectMails = () =>
      world.smtp.to(t.owner.email).filter((m) => /^Reconnect/.test(m.subject ?? ''));
    const [mail] = await waitFor(() => (reconnectMails().length > 0 ? reconnectMails() : undefined), {
      what: 'the reconnect mail',
    });
    expect(mail.subject).toBe('Reconnect Acme on Mastodon (mastodon) in Acme Coffee');
    expect(mail.text).toMatch(/Its posts are blocked, not retried/);
    const channel = await world.api.http.get(`${t.ws}/channels/${channelId}`, { token: t.owner.token });
    expect(channel.body.connection.needsReconnect).toMatch(/401/);

    // The next post is stopped at the gate, at its time or now: no call to the instance at all.
    // Mention polling reads notifications meanwhile; nothing else may call the instance.
    const callsOut = () => mastodon.requests.filter((r) => r.path !== '/api/v1/notifications').length;
    const calls = callsOut();
    const second = await approvedPost(t, channelId, {
      text: 'Also waits',
      scheduledAt: new Date(Date.now() + 3000).toISOString(),
    });
    const now = await world.api.http.post(`${t.ws}/posts/${second}/publish-now`, undefined, {
      token: t.owner.token,
    });
    expect(now.status).toBe(409);
    expect(now.text).toMatch(/channel_needs_reconnect/);
    const refused = await untilStatus(t, second, 'blocked');
    expect(refused.outcome.reasons.map((r: { code: string }) => r.code)).toEqual(['channel_needs_reconnect']);
    expect(callsOut()).toBe(calls);

    // Connected again (the same account): the channel publishes.
    expect((await connect(t, { channelId })).status).toBe(200);
    const again = await world.api.http.get(`${t.ws}/channels/${channelId}`, { token: t.owner.token });
    expect(again.body.connection.needsReconnect).toBeNull();
    const third = await publishNow(t, channelId, { text: 'Back' });
    await untilStatus(t, third, 'published');
    expect(reconnectMails()).toHaveLength(1);
  });

  it('checks a channel again on request, and keeps another workspace out', async () => {
    const t = await team();
    const channelId = await mastodonChannel(t);
    const checked = await world.api.http.post(`${t.ws}/channels/${channelId}/check`, undefined, {
      token: t.owner.token,
    });
    expect(checked.status).toBe(200);
    expect(checked.body.connection.needsReconnect).toBeNull();
    const other = await signUp(world.api.http);
    const foreign = await world.api.http.post(
      `/v1/workspaces/${other.workspaceId}/channels/${channelId}/check`,
      undefined,
      { token: other.token },
    );
    expect(foreign.status).toBe(404);
    const asApprover = await world.api.http.post(`${t.ws}/channels/${channelId}/check`, undefined, {
      token: t.approver.token,
    });
    expect(asApprover.status).toBe(403);
  });
});
