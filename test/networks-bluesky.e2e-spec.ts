import { BlueskyServer } from './support/bluesky-server';
import { signUp } from './support/factories';
import { PNG, startMediaFiles } from './support/fake-network';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { networkTeams, type Team } from './support/network-team';
import { waitFor } from './support/wait-for';

describe('Publishing to Bluesky', () => {
  let world: MailWorld;
  let pds: BlueskyServer;
  let files: Awaited<ReturnType<typeof startMediaFiles>>;
  let filesUrl: string;

  beforeAll(async () => {
    pds = await new BlueskyServer().start();
    files = await startMediaFiles();
    filesUrl = files.url;
    world = await startMailWorld({ PUBLISH_RETRY_BASE_MS: '100' });
  });
  const teams = networkTeams(() => world.api.http);

  afterAll(async () => {
    await world.close();
    await pds.stop();
    await files.stop();
  });

  const connect = (t: Team, publisher: Record<string, unknown> = {}) =>
    world.api.http.post(
      `${t.ws}/channels`,
      {
        name: 'Acme on Bluesky',
        network: 'bluesky',
        publisher: {
          kind: 'bluesky',
          service: pds.url,
          identifier: pds.handle,
          appPassword: pds.appPassword,
          ...publisher,
        },
      },
      { token: t.owner.token },
    );

  const blueskyChannel = async (t: Team): Promise<string> => {
    const made = await connect(t);
    expect(made.status).toBe(201);
    return made.body.id as string;
  };

  it('checks the app password before keeping the channel, and never shows it', async () => {
    const t = await teams.team();
    const wrong = await connect(t, { appPassword: 'not-the-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      expect.objectContaining({ field: 'publisher.appPassword', message: expect.stringMatching(/refused/) }),
    ]);
    const mismatched = await world.api.http.post(
      `${t.ws}/channels`,
      {
        name: 'X',
        network: 'x',
        publisher: { kind: 'bluesky', identifier: pds.handle, appPassword: pds.appPassword },
      },
      { token: t.owner.token },
    );
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.errors[0].field).toBe('publisher.kind');
    const misplaced = await world.api.http.post(
      `${t.ws}/channels`,
      { name: 'Y', network: 'bluesky', publisher: { kind: 'log', appPassword: 'abcdefghij' } },
      { token: t.owner.token },
    );
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.errors[0].field).toBe('publisher.appPassword');

    const made = await connect(t);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      handle: '@acme.bsky.test',
      maxCharacters: 300,
      publisher: { kind: 'bluesky', serviceUrl: pds.url, account: { id: pds.did } },
    });
    const everything = [
      made.text,
      (await world.api.http.get(`${t.ws}/channels`, { token: t.owner.token })).text,
    ];
    for (const answer of everything) expect(answer).not.toContain(pds.appPassword);
    const audit = await world.db.query(`SELECT before, after FROM audit_events`);
    expect(JSON.stringify(audit.rows)).not.toContain(pds.appPassword);
    const stored = await world.db.query(`SELECT publisher_credentials FROM channels WHERE id = $1`, [
      made.body.id,
    ]);
    expect(stored.rows[0].publisher_credentials).not.toContain(pds.appPassword);
  });

  it('refuses an internal service address, a NUL byte and a wrong type by field, storing nothing', async () => {
    const t = await teams.team();
    const internal = await connect(t, { service: 'http://169.254.169.254' });
    expect(internal.status).toBe(400);
    expect(internal.body.errors[0].field).toBe('publisher.service');
    const nul = await connect(t, { appPassword: 'abcd\u0000efgh-ijkl' });
    expect(nul.status).toBe(400);
    expect(nul.body.errors[0].field).toMatch(/appPassword/);
    const wrongType = await connect(t, { identifier: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].field).toBe('publisher.identifier');
    const mastodonInternal = await world.api.http.post(
      `${t.ws}/channels`,
      {
        name: 'M',
        network: 'mastodon',
        publisher: { kind: 'mastodon', instanceUrl: 'http://10.1.2.3', accessToken: 'abcdefghijkl' },
      },
      { token: t.owner.token },
    );
    expect(mastodonInternal.status).toBe(400);
    expect(mastodonInternal.body.errors[0].field).toBe('publisher.instanceUrl');
    const badPassword = await world.api.http.post(
      `${t.ws}/channels/${await blueskyChannel(t)}/check`,
      { appPassword: 7 },
      { token: t.owner.token },
    );
    expect(badPassword.status).toBe(400);
    const list = await world.api.http.get(`${t.ws}/channels`, { token: t.owner.token });
    expect(list.body.items).toHaveLength(1);
  });

  it('blocks the posts of a channel whose credentials no configured key opens, and says why on check', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    await world.db.query(
      `UPDATE channels SET publisher_credentials = 'v1.0badbad0.aaaa.bbbb.cccc' WHERE id = $1`,
      [channelId],
    );
    const postId = await teams.publishNow(t, channelId, { text: 'Sealed away' });
    const blocked = await teams.untilStatus(t, postId, 'blocked');
    expect(blocked.outcome.reasons[0]).toMatchObject({
      code: 'channel_needs_reconnect',
      reason: expect.stringMatching(/cannot be opened with CREDENTIALS_KEY/),
    });
    const checked = await world.api.http.post(`${t.ws}/channels/${channelId}/check`, undefined, {
      token: t.owner.token,
    });
    expect(checked.status).toBe(200);
    expect(checked.body.connection.needsReconnect).toMatch(/cannot be opened with CREDENTIALS_KEY/);
  });

  it('publishes once with facets at byte offsets, and records the at:// URI and the post URL', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const text =
      'Café ☕ 春の新メニュー with @lee.bsky.test and @nobody.example #spring https://acme.example/menu';
    const postId = await teams.publishNow(t, channelId, { text });
    const published = await teams.untilStatus(t, postId, 'published');
    const [record] = pds.live().filter((r) => published.externalId.endsWith(`/${r.rkey}`));
    expect(record.value.text).toBe(text);
    const facets = record.value.facets as Array<{
      index: { byteStart: number; byteEnd: number };
      features: any[];
    }>;
    const bytes = Buffer.from(text, 'utf8');
    expect(
      facets.map((f) => [bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), f.features[0]]),
    ).toEqual([
      [
        '@lee.bsky.test',
        { $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:lee00000000000000000000' },
      ],
      ['#spring', { $type: 'app.bsky.richtext.facet#tag', tag: 'spring' }],
      [
        'https://acme.example/menu',
        { $type: 'app.bsky.richtext.facet#link', uri: 'https://acme.example/menu' },
      ],
    ]);
    expect(published.externalId).toBe(`at://${pds.did}/app.bsky.feed.post/${record.rkey}`);
    expect(published.externalUrl).toBe(`https://bsky.app/profile/acme.bsky.test/post/${record.rkey}`);
  });

  it('uploads images as blobs, refuses one over 1 MB for good, and shows a link as a card without images', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const withImage = await teams.publishNow(t, channelId, {
      text: 'Look',
      mediaUrls: [`${filesUrl}/spring.png`],
      mediaAlt: ['A latte with a fern drawn in the foam'],
      link: 'https://acme.example/spring',
    });
    const published = await teams.untilStatus(t, withImage, 'published');
    const record = pds.live().find((r) => published.externalId.endsWith(`/${r.rkey}`))!;
    expect(record.value.embed).toMatchObject({
      $type: 'app.bsky.embed.images',
      images: [
        {
          alt: 'A latte with a fern drawn in the foam',
          image: { $type: 'blob', mimeType: 'image/png', size: PNG.length },
        },
      ],
    });
    // With an image the link goes in the text; without one it is a card.
    expect(record.value.text).toBe('Look\n\nhttps://acme.example/spring');
    // The card shows the page's own title and description (Open Graph), as the Bluesky app would.
    const withCard = await teams.publishNow(t, channelId, { text: 'Read', link: `${filesUrl}/spring.html` });
    const carded = await teams.untilStatus(t, withCard, 'published');
    expect(pds.live().find((r) => carded.externalId.endsWith(`/${r.rkey}`))!.value.embed).toEqual({
      $type: 'app.bsky.embed.external',
      external: {
        uri: `${filesUrl}/spring.html`,
        title: 'Spring menu & more',
        description: 'Lattes and croissants',
      },
    });

    const huge = await teams.publishNow(t, channelId, { text: 'Huge', mediaUrls: [`${filesUrl}/huge.png`] });
    const failed = await teams.untilStatus(t, huge, 'failed');
    expect(JSON.stringify(failed.outcome)).toMatch(/larger than the 1000000 bytes/);
  });

  it('makes one post when an answer is lost: the retry finds its record at the same key', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const before = pds.live().length;
    pds.loseAnswers('com.atproto.repo.createRecord', 1);
    const postId = await teams.publishNow(t, channelId, { text: 'Only once' });
    const published = await teams.untilStatus(t, postId, 'published');
    expect(pds.live().length - before).toBe(1);
    expect(
      pds.requests.filter((r) => r.nsid === 'com.atproto.repo.createRecord').length,
    ).toBeGreaterThanOrEqual(2);
    expect(published.externalId).toMatch(/^at:\/\//);
  });

  it('renews an expired session with its refresh token and keeps it, without opening a new one', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    await teams.untilStatus(t, await teams.publishNow(t, channelId, { text: 'First' }), 'published');
    const opened = pds.sessionsCreated;
    const sealedBefore = (
      await world.db.query(`SELECT publisher_credentials FROM channels WHERE id = $1`, [channelId])
    ).rows[0].publisher_credentials;
    pds.expireAccessTokens();
    await teams.untilStatus(t, await teams.publishNow(t, channelId, { text: 'Second' }), 'published');
    expect(pds.sessionsCreated).toBe(opened);
    expect(pds.requests.some((r) => r.nsid === 'com.atproto.server.refreshSession')).toBe(true);
    const sealedAfter = (
      await world.db.query(`SELECT publisher_credentials FROM channels WHERE id = $1`, [channelId])
    ).rows[0].publisher_credentials;
    expect(sealedAfter).not.toBe(sealedBefore);
  });

  it('waits for the reset a 429 gives, then publishes', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const reset = Math.ceil(Date.now() / 1000) + 2;
    pds.failNext('com.atproto.repo.createRecord', {
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      headers: { 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) },
    });
    const postId = await teams.publishNow(t, channelId, { text: 'After the limit' });
    const published = await teams.untilStatus(t, postId, 'published');
    expect(new Date(published.publishedAt).getTime()).toBeGreaterThanOrEqual(reset * 1000 - 50);
  });

  it('fails a post the PDS refuses, with its message, and takes a published one down by deleting the record', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    pds.failNext('com.atproto.repo.createRecord', {
      status: 400,
      body: {
        error: 'InvalidRequest',
        message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
      },
    });
    const refused = await teams.publishNow(t, channelId, { text: 'Refused' });
    const failed = await teams.untilStatus(t, refused, 'failed');
    expect(JSON.stringify(failed.outcome)).toMatch(
      /Bluesky answered 400: InvalidRequest: Invalid app.bsky.feed.post/,
    );

    const postId = await teams.publishNow(t, channelId, { text: 'Regrettable' });
    const published = await teams.untilStatus(t, postId, 'published');
    const down = await world.api.http.post(
      `${t.ws}/posts/${postId}/takedown`,
      { reason: 'error', note: 'Wrong price' },
      { token: t.owner.token },
    );
    expect(down.status).toBe(200);
    expect(pds.records.find((r) => published.externalId.endsWith(`/${r.rkey}`))?.deleted).toBe(true);
  });

  it('blocks posts and tells the admins when the app password is revoked; a check after a new one is set clears it', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    pds.revokeAppPassword();
    const postId = await teams.publishNow(t, channelId, { text: 'Password gone' });
    const blocked = await teams.untilStatus(t, postId, 'blocked');
    expect(blocked.outcome.reasons[0]).toMatchObject({ code: 'channel_needs_reconnect' });
    await waitFor(
      () =>
        world.smtp
          .to(t.owner.email)
          .find((m) => m.subject === 'Reconnect Acme on Bluesky (bluesky) in Acme Coffee'),
      { what: 'the reconnect mail' },
    );
    const checked = await world.api.http.post(`${t.ws}/channels/${channelId}/check`, undefined, {
      token: t.owner.token,
    });
    expect(checked.body.connection.needsReconnect).toMatch(/Bluesky answered 401/);

    // A new app password, checked on the same channel: it publishes again.
    pds.appPassword = 'wxyz-wxyz-wxyz-wxyz';
    const wrong = await world.api.http.post(
      `${t.ws}/channels/${channelId}/check`,
      { appPassword: 'aaaa-bbbb-cccc-dddd' },
      { token: t.owner.token },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('appPassword');
    const renewed = await world.api.http.post(
      `${t.ws}/channels/${channelId}/check`,
      { appPassword: pds.appPassword },
      { token: t.owner.token },
    );
    expect(renewed.status).toBe(200);
    expect(renewed.body.connection.needsReconnect).toBeNull();
    expect(renewed.text).not.toContain(pds.appPassword);
    await teams.untilStatus(t, await teams.publishNow(t, channelId, { text: 'Back' }), 'published');
  });

  it('previews what will appear: the text as sent, counted, with the facets and the card; another workspace gets a 404', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const post = await world.api.http.post(
      `${t.ws}/posts`,
      {
        channelId,
        text: 'Ça ouvre ☕ #printemps avec @lee.bsky.test',
        link: 'https://acme.example/spring',
        scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      },
      { token: t.owner.token },
    );
    const preview = await world.api.http.get(`${t.ws}/posts/${post.body.id}/preview`, {
      token: t.owner.token,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      network: 'bluesky',
      text: 'Ça ouvre ☕ #printemps avec @lee.bsky.test',
      length: 41,
      limit: 300,
      fits: true,
      card: { uri: 'https://acme.example/spring' },
      media: [],
    });
    expect(preview.body.facets).toEqual([
      expect.objectContaining({
        kind: 'tag',
        text: '#printemps',
        byteStart: Buffer.byteLength('Ça ouvre ☕ '),
      }),
      expect.objectContaining({ kind: 'mention', text: '@lee.bsky.test', handle: 'lee.bsky.test' }),
    ]);
    // The approver's review page shows the same: what will appear, counted, with what is made live.
    await world.api.http.post(`${t.ws}/posts/${post.body.id}/submit`, undefined, { token: t.owner.token });
    const request = await waitFor(
      () => world.smtp.to(t.approver.email).find((m) => /\/review\//.test(m.text ?? '')),
      { what: 'the review request' },
    );
    const token = /\/review\/([A-Za-z0-9_-]{43})/.exec(request.text ?? '')?.[1];
    const page = await world.api.http.get(`/review/${token}`);
    expect(page.text).toContain('41 of 300 characters as bluesky counts them');
    expect(page.text).toMatch(/Made live on bluesky: .*#printemps.*@lee\.bsky\.test/);
    expect(page.text).toContain('Shown as a link card: https://acme.example/spring');

    const other = await signUp(world.api.http);
    const foreign = await world.api.http.get(
      `/v1/workspaces/${other.workspaceId}/posts/${post.body.id}/preview`,
      {
        token: other.token,
      },
    );
    expect(foreign.status).toBe(404);
  });

  it('counts text in graphemes against 300 at create', async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const family = '👩‍👩‍👧';
    const fits = await world.api.http.post(
      `${t.ws}/posts`,
      { channelId, text: family.repeat(300), scheduledAt: at },
      { token: t.owner.token },
    );
    expect(fits.status).toBe(201);
    const over = await world.api.http.post(
      `${t.ws}/posts`,
      { channelId, text: family.repeat(301), scheduledAt: at },
      { token: t.owner.token },
    );
    expect(over.status).toBe(400);
    expect(over.body.errors[0].field).toBe('text');
  });

  it("tags the text's language, and refuses a content warning or an audience Bluesky cannot show", async () => {
    const t = await teams.team();
    const channelId = await blueskyChannel(t);
    const postId = await teams.publishNow(t, channelId, {
      text: 'Bom dia',
      language: 'pt-br',
      visibility: 'public',
    });
    const published = await teams.untilStatus(t, postId, 'published');
    expect(published.language).toBe('pt-BR');
    const [record] = pds.live().filter((r) => published.externalId.endsWith(`/${r.rkey}`));
    expect(record.value.langs).toEqual(['pt-BR']);

    const at = new Date(Date.now() + 3600_000).toISOString();
    const refused = await world.api.http.post(
      `${t.ws}/posts`,
      {
        channelId,
        text: 'Finale tonight',
        contentWarning: 'Spoilers',
        visibility: 'direct',
        scheduledAt: at,
      },
      { token: t.owner.token },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'contentWarning',
      'visibility',
    ]);
  });
});
