import { checkTextLength } from './networks';
import { graphemeLength, networkLength } from './text-length';

describe(networkLength.name, () => {
  const longUrl = `https://example.com/${'a'.repeat(80)}`;

  it('counts X as twitter-text weighs it: a link is 23, CJK and emoji are 2', () => {
    expect(networkLength('x', 'hello')).toBe(5);
    expect(networkLength('x', `read ${longUrl}`)).toBe(5 + 23);
    expect(networkLength('x', '日本語')).toBe(6);
    expect(networkLength('x', '👍🏽')).toBe(2);
  });

  it('counts Mastodon in graphemes, a link as 23 and a remote mention as its local part', () => {
    expect(networkLength('mastodon', `read ${longUrl}`)).toBe(5 + 23);
    expect(networkLength('mastodon', `read ${longUrl}.`)).toBe(5 + 23 + 1);
    expect(networkLength('mastodon', 'hi @maya@brand.example!')).toBe('hi @maya!'.length);
    expect(networkLength('mastodon', 'write to team@brand.example')).toBe(
      'write to team@brand.example'.length,
    );
    expect(networkLength('mastodon', '👩‍👩‍👧 é')).toBe(3);
  });

  it('counts Bluesky in graphemes: a family emoji or an accented letter is one', () => {
    expect(graphemeLength('👩‍👩‍👧')).toBe(1);
    expect(networkLength('bluesky', 'e\u0301te\u0301')).toBe(3);
    expect(networkLength('bluesky', longUrl)).toBe(longUrl.length);
  });

  it('counts the other networks in code points, not UTF-16 units', () => {
    expect(networkLength('linkedin', '𝒜𝒷𝒸')).toBe(3);
    expect('𝒜𝒷𝒸'.length).toBe(6);
  });
});

const plain = (text: string) => ({ text, link: null, mediaUrls: [] });

describe(checkTextLength.name, () => {
  it('lets through what fits each network as it counts, and names the count of what does not', () => {
    // 300 family emoji are 300 graphemes (Bluesky's limit) but 1,800 code points.
    expect(checkTextLength('bluesky', plain('👩‍👩‍👧'.repeat(300)))).toBeNull();
    expect(checkTextLength('bluesky', plain('👩‍👩‍👧'.repeat(301)))).toMatch(
      /is 301 characters as bluesky counts them/,
    );
    // Twenty long links fit Mastodon's 500 (20 × 24), though they are over 2,000 characters.
    const links = Array.from({ length: 20 }, (_, i) => `https://example.com/${i}/${'x'.repeat(100)}`).join(
      ' ',
    );
    expect(links.length).toBeGreaterThan(2000);
    expect(checkTextLength('mastodon', plain(links))).toBeNull();
    expect(checkTextLength('x', plain('日'.repeat(141)))).toMatch(
      /is 282 characters as x counts them; it accepts at most 280/,
    );
  });

  it('counts a Mastodon content warning with the text, in graphemes and with links as they are', () => {
    const warning = 'spoilers: https://example.com/long/link';
    expect(
      checkTextLength('mastodon', { ...plain('x'.repeat(500 - warning.length)), contentWarning: warning }),
    ).toBeNull();
    expect(
      checkTextLength('mastodon', { ...plain('x'.repeat(501 - warning.length)), contentWarning: warning }),
    ).toMatch(/is 501 characters with its content warning as mastodon counts them/);
    // Networks without content warnings do not count one.
    expect(checkTextLength('bluesky', { ...plain('x'.repeat(300)), contentWarning: 'cw' })).toBeNull();
  });
});
