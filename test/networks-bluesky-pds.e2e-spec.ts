import { startMediaFiles } from './support/fake-network';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { networkTeams, type Team } from './support/network-team';
import { RealPds } from './support/real-pds';

/** The Bluesky adapter against a real PDS (@atproto/pds on Node 22), not a server written from its reference. */
describe('Publishing to a real Bluesky PDS', () => {
  let world: MailWorld;
  let pds: RealPds;
  let files: Awaited<ReturnType<typeof startMediaFiles>>;
  let account: Awaited<ReturnType<RealPds['account']>>;

  beforeAll(async () => {
    pds = await new RealPds().start();
    account = await pds.account('brandco.test');
    files = await startMediaFiles();
    world = await startMailWorld({ PUBLISH_RETRY_BASE_MS: '100' });
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await pds?.stop();
    await files?.stop();
  });
  const teams = networkTeams(() => world.api.http);

  const connect = (t: Team, appPassword = account.appPassword) =>
    world.api.http.post(
      `${t.ws}/channels`,
      {
        name: 'Brand on Bluesky',
        network: 'bluesky',
        publisher: { kind: 'bluesky', service: pds.url, identifier: account.handle, appPassword },
      },
      { token: t.owner.token },
    );

  /** The record as the PDS serves it to anyone. */
  const recordOf = (uri: string) => {
    const [, , repo, collection, rkey] = uri.split('/');
    return pds.xrpc('com.atproto.repo.getRecord', { query: { repo, collection, rkey } });
  };

  it('connects with an app password (a wrong one is a 400 by field), and publishes facets, an image with alt text and the language', async () => {
    const t = await teams.team();
    const wrong = await connect(t, 'aaaa-bbbb-cccc-dddd');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('publisher.appPassword');
    const made = await connect(t);
    expect(made.status).toBe(201);
    expect(made.body.publisher.account).toMatchObject({ id: account.did, handle: '@brandco.test' });

    const text = 'Café ☕ 春 with @brandco.test #spring https://acme.example/menu';
    const postId = await teams.publishNow(t, made.body.id, {
      text,
      mediaUrls: [`${files.url}/spring.png`],
      mediaAlt: ['A latte with a fern drawn in the foam'],
      language: 'fr',
    });
    const published = await teams.untilStatus(t, postId, 'published');
    expect(published.externalId).toMatch(
      new RegExp(`^at://${account.did}/app\\.bsky\\.feed\\.post/[a-z2-7]{13}$`),
    );
    const { status, body } = await recordOf(published.externalId);
    expect(status).toBe(200);
    expect(body.value).toMatchObject({
      $type: 'app.bsky.feed.post',
      text,
      langs: ['fr'],
      embed: {
        $type: 'app.bsky.embed.images',
        images: [{ alt: 'A latte with a fern drawn in the foam', image: { mimeType: 'image/png' } }],
      },
    });
    const bytes = Buffer.from(text, 'utf8');
    expect(
      body.value.facets.map((f: any) => [
        bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'),
        f.features[0],
      ]),
    ).toEqual([
      ['@brandco.test', { $type: 'app.bsky.richtext.facet#mention', did: account.did }],
      ['#spring', { $type: 'app.bsky.richtext.facet#tag', tag: 'spring' }],
      [
        'https://acme.example/menu',
        { $type: 'app.bsky.richtext.facet#link', uri: 'https://acme.example/menu' },
      ],
    ]);
  });

  it('makes one record when the answer to createRecord is lost, and a takedown deletes it', async () => {
    const t = await teams.team();
    const made = await connect(t);
    const count = async () =>
      (
        await pds.xrpc('com.atproto.repo.listRecords', {
          query: { repo: account.did, collection: 'app.bsky.feed.post', limit: '100' },
        })
      ).body.records.length as number;
    const before = await count();
    pds.loseAnswers('com.atproto.repo.createRecord');
    const postId = await teams.publishNow(t, made.body.id, { text: 'Only once, even after a lost answer' });
    const published = await teams.untilStatus(t, postId, 'published');
    expect(await count()).toBe(before + 1);
    expect((await recordOf(published.externalId)).body.value.text).toBe(
      'Only once, even after a lost answer',
    );

    const down = await world.api.http.post(
      `${t.ws}/posts/${postId}/takedown`,
      { reason: 'error', note: 'Wrong price' },
      { token: t.owner.token },
    );
    expect(down.status).toBe(200);
    const gone = await recordOf(published.externalId);
    expect(gone.status).toBe(400);
    expect(gone.body.error).toBe('RecordNotFound');
    expect(await count()).toBe(before);
  });
});
