import type { Network } from './networks';

/** What of a post makes the text a network shows. */
export interface PostText {
  text: string;
  link: string | null;
  mediaUrls: readonly string[];
  /** alt text of each media, in order */
  mediaAlt?: readonly string[];
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
