import { boundedMatcher, patternError } from './bounded-matcher';

describe(boundedMatcher.name, () => {
  const matches = boundedMatcher(50);

  it('matches like a case-insensitive regular expression', () => {
    expect(matches('buy\\s+now', 'BUY   NOW')).toBe(true);
    expect(matches('buy\\s+now', 'buying')).toBe(false);
  });

  it('gives up on catastrophic backtracking within its time bound', () => {
    const started = Date.now();
    expect(matches('(a+)+$', `${'a'.repeat(5000)}!`)).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe(patternError.name, () => {
  it('names what is wrong with a pattern that does not compile', () => {
    expect(patternError('a(b')).toMatch(/Unterminated group/);
    expect(patternError('\\d+')).toBeNull();
  });
});
