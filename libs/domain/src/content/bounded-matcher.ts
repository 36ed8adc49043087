import { createContext, Script } from 'node:vm';
import type { PatternMatcher } from './content-rules';

const MATCH = new Script('result = new RegExp(pattern, "iu").test(text)');

/**
 * A PatternMatcher that gives up after `timeoutMs`: a pattern that backtracks
 * catastrophically (`(a+)+$` against "aaaa…!") is interrupted by V8 and reported
 * as 'timeout' rather than hanging the API or the worker.
 */
export function boundedMatcher(timeoutMs = 50): PatternMatcher {
  const context = createContext({ pattern: '', text: '', result: false });
  return (pattern, text) => {
    Object.assign(context, { pattern, text, result: false });
    try {
      MATCH.runInContext(context, { timeout: timeoutMs });
      return context.result === true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
      throw error;
    }
  };
}

/** Null when `pattern` compiles as a JavaScript regular expression (flags i and u), else why not. */
export function patternError(pattern: string): string | null {
  try {
    new RegExp(pattern, 'iu');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
