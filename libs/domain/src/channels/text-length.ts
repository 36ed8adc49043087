import { parseTweet } from 'twitter-text';
import type { Network } from './networks';

/** What Mastodon counts a link as, whatever its length (docs.joinmastodon.org, "Posting"). */
const MASTODON_URL_LENGTH = 23;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’]/giu;
/** `@user@instance`: Mastodon counts only `@user`. */
const REMOTE_MENTION = /(^|[^\p{L}\p{N}_/])(@[\p{L}\p{N}_]+)@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters (an emoji with its modifiers, a letter with its accents, is one). */
export const graphemeLength = (text: string): number => {
  let n = 0;
  for (const _ of graphemes.segment(text)) n += 1;
  return n;
};

/** Unicode code points, not UTF-16 units. */
export const codePointLength = (text: string): number => [...text].length;

/**
 * Length as each network counts it: X by its own weighting (twitter-text: links 23,
 * CJK and emoji 2); Mastodon in graphemes with every link as 23 and a remote
 * mention as its local part; Bluesky in graphemes; the others in code points.
 */
export function networkLength(network: Network, text: string): number {
  switch (network) {
    case 'x':
      return parseTweet(text).weightedLength;
    case 'mastodon':
      return graphemeLength(
        text.replace(URL_PATTERN, 'x'.repeat(MASTODON_URL_LENGTH)).replace(REMOTE_MENTION, '$1$2'),
      );
    case 'bluesky':
      return graphemeLength(text);
    case 'threads':
    case 'instagram':
    case 'tiktok':
    case 'linkedin':
    case 'facebook':
      return codePointLength(text);
  }
}
