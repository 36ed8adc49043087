import { networkLength } from './text-length';
import type { Network } from './networks';
import { findFacets, type Facet } from './rich-text';
import { textAsSent, type PostText } from './text-as-sent';

/** What a post will look like on its network, as an approver should see it before signing off. */
export interface NetworkPreview {
  network: Network;
  /** the text exactly as it is sent (the link added where the network shows it in the text) */
  text: string;
  /** its length as the network counts it */
  length: number;
  limit: number;
  fits: boolean;
  /** links, mentions and tags the network will make live, each with the characters it covers */
  facets: Array<Facet & { text: string }>;
  media: Array<{ url: string; alt: string | null }>;
  /** the link shown as a card under the post (Bluesky without images) */
  card: { uri: string } | null;
}

/** The preview of `post` on `network`, within `limit` characters. Pure. */
export function previewOf(network: Network, post: PostText, limit: number): NetworkPreview {
  const text = textAsSent(network, post);
  const length = networkLength(network, text);
  const bytes = Buffer.from(text, 'utf8');
  const facets = findFacets(text).map((f) => ({
    ...f,
    text: bytes.subarray(f.byteStart, f.byteEnd).toString('utf8'),
  }));
  const card = network === 'bluesky' && post.link && post.mediaUrls.length === 0 ? { uri: post.link } : null;
  return {
    network,
    text,
    length,
    limit,
    fits: length <= limit,
    facets,
    media: post.mediaUrls.map((url, i) => ({ url, alt: post.mediaAlt?.[i] || null })),
    card,
  };
}
