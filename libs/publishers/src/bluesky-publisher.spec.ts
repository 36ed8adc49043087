import { mentionOf, recordKeyOf, type BlueskyNotification } from './bluesky-publisher';

describe(recordKeyOf.name, () => {
  const created = new Date('2026-12-01T09:00:00.000Z');

  it('is a TID: 13 base32-sortable characters, the same for the same version on every try', () => {
    const key = recordKeyOf('post-1-v1', created);
    expect(key).toMatch(/^[234567a-j][234567a-z]{12}$/);
    expect(recordKeyOf('post-1-v1', created)).toBe(key);
  });

  it('differs between versions and posts, and sorts by the post’s creation time', () => {
    const keys = new Set(['post-1-v1', 'post-1-v2', 'post-2-v1'].map((k) => recordKeyOf(k, created)));
    expect(keys.size).toBe(3);
    const later = recordKeyOf('post-1-v1', new Date(created.getTime() + 1000));
    expect(later > recordKeyOf('post-1-v1', created)).toBe(true);
  });
});

describe(mentionOf.name, () => {
  const ours = { uri: 'at://did:plc:acme/app.bsky.feed.post/3lroot', cid: 'bafyroot' };
  const parent = { uri: 'at://did:plc:lee/app.bsky.feed.post/3lparent', cid: 'bafyparent' };
  const notification = (over: Partial<BlueskyNotification>): BlueskyNotification => ({
    uri: 'at://did:plc:kim/app.bsky.feed.post/3lkim',
    cid: 'bafykim',
    author: { did: 'did:plc:kim', handle: 'kim.bsky.social', displayName: 'Kim' },
    reason: 'reply',
    record: { text: 'Not great', createdAt: '2027-03-15T09:00:00.000Z', langs: ['en'] },
    indexedAt: '2027-03-15T09:00:01.000Z',
    ...over,
  });

  it('answers its parent and keeps the thread root for our reply', () => {
    const m = mentionOf(notification({ record: { text: 'Not great', reply: { root: ours, parent } } }));
    expect(m).toMatchObject({
      externalId: 'at://did:plc:kim/app.bsky.feed.post/3lkim',
      authorHandle: '@kim.bsky.social',
      authorName: 'Kim',
      inReplyTo: parent.uri,
      url: 'https://bsky.app/profile/kim.bsky.social/post/3lkim',
      replyRef: {
        network: 'bluesky',
        root: ours,
        parent: { uri: 'at://did:plc:kim/app.bsky.feed.post/3lkim', cid: 'bafykim' },
      },
    });
  });

  it('takes a quote as answering the post it quotes (with or without media)', () => {
    const quote = mentionOf(
      notification({ reason: 'quote', record: { text: 'Look', embed: { record: { uri: ours.uri } } } }),
    );
    expect(quote.inReplyTo).toBe(ours.uri);
    const withMedia = mentionOf(
      notification({
        reason: 'quote',
        record: { text: 'Look', embed: { record: { record: { uri: ours.uri } } } },
      }),
    );
    expect(withMedia.inReplyTo).toBe(ours.uri);
  });

  it('reads a record missing its parts without failing: no text, a bad date, a root without a CID', () => {
    const m = mentionOf(
      notification({
        record: { text: 42, createdAt: 'yesterday', langs: 'en', reply: { root: { uri: ours.uri } } },
      }),
    );
    expect(m).toMatchObject({ text: '', language: null, createdAt: new Date('2027-03-15T09:00:01.000Z') });
    // A root that is no strong reference: the post starts its own thread.
    expect(m.replyRef).toMatchObject({ root: { uri: 'at://did:plc:kim/app.bsky.feed.post/3lkim' } });
  });
});
