import { BlueskyServer } from './support/bluesky-server';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { networkTeams, type Team } from './support/network-team';
import { waitFor } from './support/wait-for';

/** A Bluesky account's mentions, replies and quotes read into the inbox, and answered in their thread. */
describe('Listening on Bluesky', () => {
  let world: MailWorld;
  let pds: BlueskyServer;

  beforeAll(async () => {
    pds = await new BlueskyServer().start();
    world = await startMailWorld({ LISTEN_EVERY_MS: '300' });
  });
  afterAll(async () => {
    await world.close();
    await pds.stop();
  });
  const { team, publishNow, untilStatus } = networkTeams(() => world.api.http);
  const http = () => world.api.http;

  const blueskyChannel = async (t: Team, on = pds): Promise<string> => {
    const made = await http().post(
      `${t.ws}/channels`,
      {
        name: 'Acme on Bluesky',
        network: 'bluesky',
        publisher: {
          kind: 'bluesky',
          service: on.url,
          identifier: on.handle,
          appPassword: on.appPassword,
        },
      },
      { token: t.owner.token },
    );
    expect(made.status).toBe(201);
    return made.body.id as string;
  };

  /** A reply drafted, signed off and published: the record the PDS got. */
  const answer = async (t: Team, mentionId: string, text: string) => {
    const made = await http().post(`${t.ws}/mentions/${mentionId}/reply`, { text }, { token: t.owner.token });
    expect(made.status).toBe(201);
    // Bluesky tells the parent's author itself: the text is sent as written.
    expect(made.body.text).toBe(text);
    await http().post(`${t.ws}/posts/${made.body.id}/submit`, undefined, { token: t.owner.token });
    await http().post(
      `${t.ws}/posts/${made.body.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: t.approver.token },
    );
    await http().post(`${t.ws}/posts/${made.body.id}/publish-now`, undefined, { token: t.owner.token });
    const published = await untilStatus(t, made.body.id as string, 'published');
    return pds.live().find((r) => published.externalId.endsWith(`/${r.rkey}`))!;
  };

  it('reads mentions, replies and quotes once each (not likes), and answers each in its thread', async () => {
    const t = await team();
    const channelId = await blueskyChannel(t);
    const ours = await untilStatus(t, await publishNow(t, channelId, { text: 'New menu!' }), 'published');
    const ourRef = { uri: ours.externalId as string, cid: `bafyrei${ours.externalId.split('/').pop()}` };

    pds.notify('mention', 'lee.bsky.test', 'Hey @acme.bsky.test, is the oat latte back?');
    const kim = pds.notify('reply', 'kim.bsky.test', 'This is awful, worst menu ever. I hate it.', {
      root: ourRef,
      parent: ourRef,
    });
    pds.notify('like', 'ana.bsky.test', '');
    const inbox = async () =>
      (await http().get(`${t.ws}/mentions?channelId=${channelId}`, { token: t.owner.token })).body
        .items as Array<Record<string, any>>;
    await waitFor(async () => ((await inbox()).length >= 2 ? true : undefined), {
      what: 'two mentions read',
    });
    const read = await inbox();
    expect(read).toHaveLength(2);
    const angry = read.find((m) => m.authorHandle === '@kim.bsky.test')!;
    expect(angry).toMatchObject({
      network: 'bluesky',
      externalId: kim.uri,
      inReplyTo: ours.externalId,
      postId: ours.id,
      negative: true,
      language: 'en',
      canReply: true,
      url: `https://bsky.app/profile/kim.bsky.test/post/${kim.uri.split('/').pop()}`,
    });

    // A quote comes later: read from the cursor on. Then the cursor is lost (as after a restore): nothing doubles.
    pds.notify('quote', 'sam.bsky.test', 'Look at this menu');
    await waitFor(async () => ((await inbox()).length >= 3 ? true : undefined), { what: 'the quote' });
    await world.db.query(`DELETE FROM mention_cursors WHERE channel_id = $1`, [channelId]);
    await waitFor(
      async () =>
        (await world.db.query(`SELECT 1 FROM mention_cursors WHERE channel_id = $1`, [channelId])).rowCount
          ? true
          : undefined,
      { what: 'a poll from the start' },
    );
    expect(await inbox()).toHaveLength(3);
    const asked = pds.requests.filter((r) => r.nsid === 'app.bsky.notification.listNotifications');
    expect(asked.length).toBeGreaterThan(2);

    // Kim replied in our post's thread: our answer joins it (root: our post; parent: Kim's reply).
    const toKim = await answer(t, angry.id, 'We are sorry. What would you like to see back?');
    expect(toKim.value.reply).toEqual({ root: ourRef, parent: kim });
    // Lee's mention starts a thread of its own: it is both root and parent.
    const lee = read.find((m) => m.authorHandle === '@lee.bsky.test')!;
    const toLee = await answer(t, lee.id, 'It is back on Monday!');
    const leeRef = pds.notifications.find((n) => n.uri === lee.externalId)!;
    expect(toLee.value.reply).toEqual({
      root: { uri: leeRef.uri, cid: leeRef.cid },
      parent: { uri: leeRef.uri, cid: leeRef.cid },
    });
    const answered = (await inbox()).find((m) => m.id === angry.id)!;
    expect(answered.repliedAt).not.toBeNull();
  });

  it('leaves a channel alone until the reset its 429 gives, and reads the other channels meanwhile', async () => {
    const busy = await new BlueskyServer().start();
    const calm = await new BlueskyServer().start();
    try {
      const reset = Math.floor(Date.now() / 1000) + 4;
      busy.failNext('app.bsky.notification.listNotifications', {
        status: 429,
        body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
        headers: { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) },
      });
      const a = await team();
      const b = await team();
      const held = await blueskyChannel(a, busy);
      const other = await blueskyChannel(b, calm);
      busy.notify('mention', 'lee.bsky.test', 'Hello @acme.bsky.test');
      calm.notify('mention', 'kim.bsky.test', 'Hello @acme.bsky.test');
      const inboxOf = async (t: Team, channelId: string) =>
        (await http().get(`${t.ws}/mentions?channelId=${channelId}`, { token: t.owner.token })).body.items;
      const reads = () => busy.requests.filter((r) => r.nsid === 'app.bsky.notification.listNotifications');
      await waitFor(async () => ((await inboxOf(b, other)).length > 0 ? true : undefined), {
        what: "the calm channel's mention",
      });
      await waitFor(() => (reads().length > 0 ? true : undefined), { what: 'the busy channel asked' });
      // A later mention on the calm one is read too, while the busy one is not asked again.
      calm.notify('mention', 'sam.bsky.test', 'Again');
      await waitFor(async () => ((await inboxOf(b, other)).length > 1 ? true : undefined), {
        what: "the calm channel's second mention",
      });
      if (Date.now() < (reset - 1) * 1000) expect(reads()).toHaveLength(1);
      await waitFor(async () => ((await inboxOf(a, held)).length > 0 ? true : undefined), {
        what: "the busy channel's mention, after the reset",
        timeoutMs: 15_000,
      });
      expect(Date.now()).toBeGreaterThanOrEqual((reset - 1) * 1000);
    } finally {
      await busy.stop();
      await calm.stop();
    }
  });
});
