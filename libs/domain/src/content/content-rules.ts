import type { Network } from '../channels';
import { lengthAsSent, NETWORK_TEXT_LIMITS } from '../channels';
import type { PostContent } from '../posts';

/** A workspace's own limits on what may go out, checked on submit and again by the gate. */
export interface ContentRules {
  /** matched case- and accent-insensitively, as whole words */
  blockedTerms: string[];
  /** regular expressions (JavaScript syntax, matched case-insensitively) */
  blockedPatterns: string[];
  /** hosts that links and media may point to (subdomains included); empty: any */
  allowedLinkDomains: string[];
  /** per-network text limits stricter than the network's own */
  maxLength: Partial<Record<Network, number>>;
}

export const NO_CONTENT_RULES: ContentRules = {
  blockedTerms: [],
  blockedPatterns: [],
  allowedLinkDomains: [],
  maxLength: {},
};

/** One violation: which rule, where in the post. */
export interface ContentViolation {
  rule: 'blocked_term' | 'blocked_pattern' | 'link_domain' | 'max_length' | 'pattern_unusable';
  field: 'text' | 'link' | `mediaUrls[${number}]`;
  detail: string;
}

/**
 * Runs one pattern against one text (the caller's engine, linear-time);
 * 'unusable' when the engine cannot compile it. Passed in so these rules stay pure.
 */
export type PatternMatcher = (pattern: string, text: string) => boolean | 'unusable';

/** Lower case, accents removed: "Crème BRÛLÉE" and "creme brulee" compare equal. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hostAllowed(url: string, domains: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`));
}

/** Every way `content` breaks `rules` on `network`; empty when it passes. */
export function checkContent(
  content: Pick<PostContent, 'text' | 'mediaUrls' | 'link'> & { contentWarning?: string | null },
  network: Network,
  rules: ContentRules,
  matches: PatternMatcher,
  networkLimit: number = NETWORK_TEXT_LIMITS[network],
): ContentViolation[] {
  const violations: ContentViolation[] = [];
  const folded = foldText(content.text);
  for (const term of rules.blockedTerms) {
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(foldText(term))}(?![\\p{L}\\p{N}])`, 'u');
    if (word.test(folded))
      violations.push({ rule: 'blocked_term', field: 'text', detail: `contains the blocked term "${term}"` });
  }
  for (const pattern of rules.blockedPatterns) {
    const hit = matches(pattern, content.text);
    if (hit === 'unusable') {
      // Saved before patterns were RE2: it cannot be checked, so it does not let the post pass.
      violations.push({
        rule: 'pattern_unusable',
        field: 'text',
        detail: `the blocked pattern /${pattern}/ cannot be checked (not RE2 syntax); fix the content rules`,
      });
    } else if (hit) {
      violations.push({
        rule: 'blocked_pattern',
        field: 'text',
        detail: `matches the blocked pattern /${pattern}/`,
      });
    }
  }
  if (rules.allowedLinkDomains.length > 0) {
    if (content.link && !hostAllowed(content.link, rules.allowedLinkDomains)) {
      violations.push({
        rule: 'link_domain',
        field: 'link',
        detail: `${content.link} is not on an allowed domain`,
      });
    }
    content.mediaUrls.forEach((url, i) => {
      if (!hostAllowed(url, rules.allowedLinkDomains)) {
        violations.push({
          rule: 'link_domain',
          field: `mediaUrls[${i}]`,
          detail: `${url} is not on an allowed domain`,
        });
      }
    });
  }
  const limit = Math.min(rules.maxLength[network] ?? Infinity, networkLimit);
  const length = lengthAsSent(network, content);
  if (length > limit) {
    violations.push({
      rule: 'max_length',
      field: 'text',
      detail: `is ${length} characters (as ${network} counts them); this workspace allows ${limit} on ${network}`,
    });
  }
  return violations;
}
