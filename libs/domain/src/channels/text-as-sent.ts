import type { Network } from './networks';
import { graphemeLength, networkLength } from './text-length';

/** What of a post makes the text a network shows. */
export interface PostText {
  text: string;
  link: string | null;
  mediaUrls: readonly string[];
  /** alt text of each media, in order */
  mediaAlt?: readonly string[];
  /** Mastodon's spoiler_text, which counts toward its limit */
  contentWarning?: string | null;
}

/**
 * The text as it is sent to the network. Mastodon shows a link only in the text:
 * it is added on a line of its own unless the text has it already. Bluesky shows
 * the link as a card, which an image takes the place of: with images, the link goes
 * in the text too. Other networks' posts go to a webhook with the link beside the text.
 */
export function textAsSent(network: Network, post: PostText): string {
  const { text, link } = post;
  if (!link || text.includes(link)) return text;
  if (network === 'mastodon' || (network === 'bluesky' && post.mediaUrls.length > 0)) {
    return `${text}\n\n${link}`;
  }
  return text;
}

/**
 * The length the network holds against its limit: the text as sent, and on Mastodon
 * the content warning too (its StatusLengthValidator counts both, the warning in
 * graphemes with no link shortening).
 */
export function lengthAsSent(network: Network, post: PostText): number {
  const warning = network === 'mastodon' && post.contentWarning ? graphemeLength(post.contentWarning) : 0;
  return networkLength(network, textAsSent(network, post)) + warning;
}
