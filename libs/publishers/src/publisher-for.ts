import type { ChannelAccount, PublisherKind } from '@app/domain';
import { BlueskyPublisher, type BlueskyCredentials } from './bluesky-publisher';
import { LogPublisher } from './log-publisher';
import { MastodonPublisher, type MastodonCredentials } from './mastodon-publisher';
import type { OutboundHttp } from './outbound-http';
import type { NetworkAccount, Publisher } from './publisher';
import { WebhookPublisher } from './webhook-publisher';

/** A channel as a publisher needs it; `credentials` is the opened (decrypted) JSON. */
export interface PublishingChannel {
  id: string;
  publisherKind: PublisherKind;
  publisherUrl: string | null;
  publisherSecret: string | null;
  publisherConfig: ChannelAccount | null;
  credentials: object | null;
}

export interface PublisherDeps {
  http: OutboundHttp;
  timeoutMs: number;
  /** keeps a channel's credentials changed by the network (a renewed session), sealed */
  saveCredentials(channelId: string, credentials: object): Promise<void>;
}

/** A publisher that also tells whose account its credentials act as. */
export type NetworkPublisher = Publisher & { verify(): Promise<NetworkAccount> };

/** The publisher a channel's configuration asks for. */
export function publisherFor(channel: PublishingChannel, deps: PublisherDeps): Publisher {
  switch (channel.publisherKind) {
    case 'webhook':
      if (channel.publisherUrl && channel.publisherSecret) {
        return new WebhookPublisher(deps.http, channel.publisherUrl, channel.publisherSecret, deps.timeoutMs);
      }
      break;
    case 'mastodon':
    case 'bluesky':
      return networkPublisher(channel, deps);
    case 'log':
      break;
  }
  return new LogPublisher();
}

/** The publisher of a Mastodon or Bluesky channel, which can also verify its credentials. */
export function networkPublisher(channel: PublishingChannel, deps: PublisherDeps): NetworkPublisher {
  const serviceUrl = channel.publisherConfig?.serviceUrl;
  if (!serviceUrl || !channel.credentials) {
    throw new Error(`channel ${channel.id} has no ${channel.publisherKind} account configured`);
  }
  if (channel.publisherKind === 'mastodon') {
    return new MastodonPublisher(
      deps.http,
      serviceUrl,
      channel.credentials as MastodonCredentials,
      deps.timeoutMs,
    );
  }
  return new BlueskyPublisher(
    deps.http,
    serviceUrl,
    channel.credentials as BlueskyCredentials,
    deps.timeoutMs,
    (credentials) => deps.saveCredentials(channel.id, credentials),
  );
}
