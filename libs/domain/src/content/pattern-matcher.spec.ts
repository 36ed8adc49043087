import { linearMatcher, patternError } from './pattern-matcher';

describe(linearMatcher.name, () => {
  const matches = linearMatcher();

  it('matches like a case-insensitive regular expression, Unicode included', () => {
    expect(matches('buy\\s+now', 'BUY   NOW')).toBe(true);
    expect(matches('buy\\s+now', 'buying')).toBe(false);
    expect(matches('crème', 'CRÈME brûlée')).toBe(true);
    expect(matches('\\d{3}-\\d{4}', 'call 555-0100')).toBe(true);
  });

  it('answers a pattern that would backtrack catastrophically in JavaScript, in linear time', () => {
    // With a backtracking engine this input takes longer than the test's timeout; RE2 answers at once.
    expect(matches('(a+)+$', `${'a'.repeat(50_000)}!`)).toBe(false);
    expect(matches('(a|aa)*c', `${'a'.repeat(50_000)}`)).toBe(false);
    expect(matches('(a+)+!', `${'a'.repeat(50_000)}!`)).toBe(true);
  });

  it("cannot use a pattern RE2 refuses (saved under JavaScript's rules): 'unusable', never a pass", () => {
    expect(matches('foo(?=bar)', 'foobar')).toBe('unusable');
    expect(matches('(a)\\1', 'aa')).toBe('unusable');
  });
});

describe(patternError.name, () => {
  it('names what is wrong with a pattern, and refuses lookaround and backreferences', () => {
    expect(patternError('a(b')).toMatch(/missing closing \)/);
    expect(patternError('foo(?=bar)')).toMatch(/RE2 syntax/);
    expect(patternError('(a)\\1')).toMatch(/RE2 syntax/);
    expect(patternError('\\d+')).toBeNull();
  });
});
