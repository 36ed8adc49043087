import {
  checkContent,
  foldText,
  NO_CONTENT_RULES,
  type ContentRules,
  type PatternMatcher,
} from './content-rules';

const plainRegex: PatternMatcher = (pattern, text) => new RegExp(pattern, 'iu').test(text);
const rules = (over: Partial<ContentRules>): ContentRules => ({ ...NO_CONTENT_RULES, ...over });
const post = (text: string, extra: { link?: string; mediaUrls?: string[] } = {}) => ({
  text,
  link: extra.link ?? null,
  mediaUrls: extra.mediaUrls ?? [],
});

describe(checkContent.name, () => {
  it('passes anything when there are no rules (within the network limit)', () => {
    expect(checkContent(post('Hello'), 'x', NO_CONTENT_RULES, plainRegex)).toEqual([]);
  });

  it('blocks terms case- and accent-insensitively, as whole words only', () => {
    const r = rules({ blockedTerms: ['Crème brûlée', 'scam'] });
    expect(checkContent(post('Try our CREME BRULEE today'), 'x', r, plainRegex).map((v) => v.rule)).toEqual([
      'blocked_term',
    ]);
    expect(checkContent(post('A SCAM!'), 'x', r, plainRegex)).toHaveLength(1);
    expect(checkContent(post('scampi on the menu'), 'x', r, plainRegex)).toEqual([]);
  });

  it('blocks patterns, and a pattern that cannot be checked blocks rather than passes', () => {
    expect(
      checkContent(post('Call 555-0100'), 'x', rules({ blockedPatterns: ['\\d{3}-\\d{4}'] }), plainRegex),
    ).toEqual([
      { rule: 'blocked_pattern', field: 'text', detail: 'matches the blocked pattern /\\d{3}-\\d{4}/' },
    ]);
    const unusable: PatternMatcher = () => 'unusable';
    expect(checkContent(post('aaaa'), 'x', rules({ blockedPatterns: ['(?=a)'] }), unusable)[0].rule).toBe(
      'pattern_unusable',
    );
  });

  it('keeps links and media to the allowed domains and their subdomains', () => {
    const r = rules({ allowedLinkDomains: ['acme.example'] });
    expect(checkContent(post('x', { link: 'https://shop.acme.example/a' }), 'x', r, plainRegex)).toEqual([]);
    const bad = checkContent(
      post('x', {
        link: 'https://evil.example/',
        mediaUrls: ['https://cdn.acme.example/1.png', 'https://acme.example.evil.test/2.png'],
      }),
      'x',
      r,
      plainRegex,
    );
    expect(bad.map((v) => v.field)).toEqual(['link', 'mediaUrls[1]']);
  });

  it('applies a stricter per-network length, never a looser one', () => {
    expect(
      checkContent(post('x'.repeat(101)), 'linkedin', rules({ maxLength: { linkedin: 100 } }), plainRegex)[0]
        .rule,
    ).toBe('max_length');
    expect(
      checkContent(post('x'.repeat(281)), 'x', rules({ maxLength: { x: 1000 } }), plainRegex)[0].rule,
    ).toBe('max_length');
  });
});

describe(foldText.name, () => {
  it('folds case and accents', () => {
    expect(foldText('Ça GÈNE Ñandú')).toBe('ca gene nandu');
  });
});
