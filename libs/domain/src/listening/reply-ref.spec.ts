import { replyText, type ReplyRef } from './reply-ref';

const mastodon: ReplyRef = { network: 'mastodon', statusId: '109' };
const ref = { uri: 'at://did:plc:kim/app.bsky.feed.post/3l1', cid: 'bafyrei1' };
const bluesky: ReplyRef = { network: 'bluesky', root: ref, parent: ref };

describe('replyText', () => {
  it('names the author first on Mastodon, where only those named are told', () => {
    expect(replyText(mastodon, '@kim@social.example', 'Sorry!')).toBe('@kim@social.example Sorry!');
  });

  it('does not name them twice, wherever and however the text names them already', () => {
    for (const text of [
      '@kim@social.example sorry!',
      'Sorry @KIM@social.example.',
      'Thanks (@kim@social.example)',
      'Sorry,\n@kim@social.example: we fixed it',
    ]) {
      expect(replyText(mastodon, '@kim@social.example', text)).toBe(text);
    }
  });

  it('does not take another handle that starts alike for theirs', () => {
    expect(replyText(mastodon, '@kim@social.example', 'cc @kim@social.example.org')).toBe(
      '@kim@social.example cc @kim@social.example.org',
    );
    expect(replyText(mastodon, '@kim', 'Thanks @kimberly')).toBe('@kim Thanks @kimberly');
  });

  it("leaves a Bluesky reply as written: the network tells the parent post's author", () => {
    expect(replyText(bluesky, '@kim.bsky.social', 'Sorry!')).toBe('Sorry!');
  });
});
