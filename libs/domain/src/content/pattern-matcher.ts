import { RE2JS } from 're2js';
import type { PatternMatcher } from './content-rules';

/**
 * Blocked patterns run on RE2 (re2js): matching is linear in the text whatever the
 * pattern, so no pattern an admin saves can backtrack (`(a+)+$` against "aaaa…!"
 * answers as fast as `a`). RE2 has no lookaround or backreferences; such patterns
 * are refused when saved (patternError).
 */
export function linearMatcher(cacheSize = 256): PatternMatcher {
  const compiled = new Map<string, RE2JS | null>();
  const compile = (pattern: string): RE2JS | null => {
    if (compiled.has(pattern)) return compiled.get(pattern) ?? null;
    if (compiled.size >= cacheSize) compiled.clear();
    let re: RE2JS | null = null;
    try {
      re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
    return re;
  };
  return (pattern, text) => compile(pattern)?.test(text) ?? 'unusable';
}

/** Null when `pattern` compiles as an RE2 regular expression, else why not. */
export function patternError(pattern: string): string | null {
  try {
    RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return null;
  } catch (error) {
    return `${(error as Error).message} (patterns use RE2 syntax: no lookaround or backreferences)`;
  }
}
