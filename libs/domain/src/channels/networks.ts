import { networkLength } from './text-length';

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

/** Null when `text` fits `network` as it counts, otherwise why not. */
export function checkTextLength(network: Network, text: string): string | null {
  const limit = NETWORK_TEXT_LIMITS[network];
  const length = networkLength(network, text);
  return length > limit
    ? `is ${length} characters as ${network} counts them; it accepts at most ${limit}`
    : null;
}

/** How mails and pages name a channel: its name, and the network (a name need not say it). */
export const channelLabel = (channel: { name: string; network: string }): string =>
  `${channel.name} (${channel.network})`;
