import fc from 'fast-check';
import { findFacets, type Facet } from './rich-text';

/** The text a facet's byte range covers, decoded as Bluesky's clients decode it. */
const covered = (text: string, facet: Facet): string =>
  Buffer.from(text, 'utf8').subarray(facet.byteStart, facet.byteEnd).toString('utf8');

const shown = (facet: Facet): string =>
  facet.kind === 'link' ? facet.uri : facet.kind === 'tag' ? `#${facet.tag}` : `@${facet.handle}`;

describe(findFacets.name, () => {
  it('finds links, mentions and tags at UTF-8 byte offsets past emoji, accents and CJK', () => {
    const text = 'Café 👩‍👩‍👧 春の新メニュー #春メニュー with @maya.bsky.social: https://acme.example/menu?s=1.';
    const facets = findFacets(text);
    expect(facets.map((f) => [f.kind, covered(text, f)])).toEqual([
      ['tag', '#春メニュー'],
      ['mention', '@maya.bsky.social'],
      ['link', 'https://acme.example/menu?s=1'],
    ]);
    // Characters and bytes differ: the offsets are bytes.
    expect(facets[0].byteStart).toBe(Buffer.byteLength('Café 👩‍👩‍👧 春の新メニュー '));
    expect(facets[0].byteStart).not.toBe('Café 👩‍👩‍👧 春の新メニュー '.length);
  });

  it('leaves out what is not a facet: a number tag, an e-mail address, a handle without a domain', () => {
    expect(findFacets('We are #1 — write to team@acme.example or @maya')).toEqual([]);
  });

  it("keeps a link's own brackets and drops a sentence's", () => {
    const text = '(see https://en.wikipedia.org/wiki/Latte_(drink)) and https://acme.example).';
    expect(findFacets(text).map((f) => covered(text, f))).toEqual([
      'https://en.wikipedia.org/wiki/Latte_(drink)',
      'https://acme.example',
    ]);
  });

  it('decodes every facet back to its link, tag or mention, whatever text surrounds it (property)', () => {
    const filler = fc.string({
      unit: fc.constantFrom('a', 'é', 'e\u0301', '日', '本', '👍🏽', '👩‍👩‍👧', ' ', '.', ','),
    });
    const token = fc.oneof(
      fc.constantFrom(
        'https://acme.example/a',
        'http://x.example/p?q=1',
        '#spring',
        '#春',
        '@lee.example.com',
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, token), { minLength: 1, maxLength: 5 }), (parts) => {
        const text = parts.map(([before, t]) => `${before} ${t} `).join('');
        const facets = findFacets(text);
        for (const facet of facets) expect(covered(text, facet)).toBe(shown(facet));
        expect(facets.length).toBe(parts.length);
      }),
    );
  });
});
