import type { FieldError } from '../errors';
import type { PostVisibility } from '../posts/post-content';
import { lengthAsSent, type PostText } from './text-as-sent';

/** The social networks a channel can publish to, with the longest text each accepts. */
export const NETWORK_TEXT_LIMITS = {
  x: 280,
  bluesky: 300,
  threads: 500,
  mastodon: 500,
  instagram: 2200,
  tiktok: 2200,
  linkedin: 3000,
  facebook: 63206,
} as const;

export type Network = keyof typeof NETWORK_TEXT_LIMITS;
export const NETWORKS = Object.keys(NETWORK_TEXT_LIMITS) as Network[];

/** How a channel publishes: to a webhook of the brand's, to the log, or to the network itself. */
export const PUBLISHER_KINDS = ['webhook', 'log', 'mastodon', 'bluesky'] as const;
export type PublisherKind = (typeof PUBLISHER_KINDS)[number];

/** What is not secret about the account a network channel publishes as. */
export interface ChannelAccount {
  /** Mastodon: the instance; Bluesky: the PDS (the `service`) */
  serviceUrl?: string;
  /** the network's id of the account: a Mastodon account id, a Bluesky DID */
  accountId?: string;
  handle?: string;
  url?: string | null;
  /** the instance's own text limit, when it said one */
  maxCharacters?: number;
}

/** The most characters a channel's posts may have: its instance's limit, else its network's. */
export const textLimitOf = (channel: { network: Network; publisherConfig?: ChannelAccount | null }): number =>
  channel.publisherConfig?.maxCharacters ?? NETWORK_TEXT_LIMITS[channel.network];

/** Null when `post` fits `network` as it counts (within `limit`), otherwise why not. */
export function checkTextLength(
  network: Network,
  post: PostText,
  limit: number = NETWORK_TEXT_LIMITS[network],
): string | null {
  const length = lengthAsSent(network, post);
  const counted = network === 'mastodon' && post.contentWarning ? ' with its content warning' : '';
  return length > limit
    ? `is ${length} characters${counted} as ${network} counts them; it accepts at most ${limit}`
    : null;
}

/**
 * What of a post's content warning and visibility `network` cannot show. Only
 * Mastodon has them; elsewhere every post is public and unfolded, and an approver
 * must not sign off a warning or an audience nobody would see.
 */
export function checkShownWith(
  network: Network,
  post: { contentWarning?: string | null; visibility?: PostVisibility },
): FieldError[] {
  if (network === 'mastodon') return [];
  const errors: FieldError[] = [];
  if (post.contentWarning)
    errors.push({
      field: 'contentWarning',
      message: `${network} has no content warnings; only Mastodon channels take one`,
    });
  if (post.visibility && post.visibility !== 'public')
    errors.push({
      field: 'visibility',
      message: `${network} shows every post to everyone; only Mastodon channels take another visibility`,
    });
  return errors;
}

/** How mails and pages name a channel: its name, and the network (a name need not say it). */
export const channelLabel = (channel: { name: string; network: string }): string =>
  `${channel.name} (${channel.network})`;
