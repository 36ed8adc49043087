import type { PostVisibility } from '../posts/post-content';
import type { Network } from './networks';
import { findFacets, type Facet } from './rich-text';
import { lengthAsSent, textAsSent, type PostText } from './text-as-sent';

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
  /** shown instead of the text until it is opened (Mastodon) */
  contentWarning: string | null;
  /** who will see it */
  visibility: PostVisibility;
  /** the language the network is told, as it is told (Mastodon: without a region) */
  language: string | null;
}

/** What of a post, besides its text and media, changes how it appears. */
export interface ShownWith {
  contentWarning?: string | null;
  visibility?: PostVisibility | null;
  language?: string | null;
}

/** The language tag as `network` takes it: Mastodon knows ISO 639 codes, without a region. */
export const languageAsSent = (network: Network, tag: string | null | undefined): string | null =>
  !tag ? null : network === 'mastodon' ? (tag.split('-')[0] ?? tag) : tag;

/** The preview of `post` on `network`, within `limit` characters. Pure. */
export function previewOf(network: Network, post: PostText & ShownWith, limit: number): NetworkPreview {
  const text = textAsSent(network, post);
  const length = lengthAsSent(network, post);
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
    contentWarning: network === 'mastodon' ? (post.contentWarning ?? null) : null,
    visibility: network === 'mastodon' ? (post.visibility ?? 'public') : 'public',
    language: languageAsSent(network, post.language),
  };
}
