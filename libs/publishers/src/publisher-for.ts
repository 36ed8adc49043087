import { LogPublisher } from './log-publisher';
import type { OutboundHttp } from './outbound-http';
import type { Publisher } from './publisher';
import { WebhookPublisher } from './webhook-publisher';

/** The publisher a channel's configuration asks for. */
export function publisherFor(
  channel: { publisherKind: 'webhook' | 'log'; publisherUrl: string | null; publisherSecret: string | null },
  http: OutboundHttp,
  timeoutMs: number,
): Publisher {
  if (channel.publisherKind === 'webhook' && channel.publisherUrl && channel.publisherSecret) {
    return new WebhookPublisher(http, channel.publisherUrl, channel.publisherSecret, timeoutMs);
  }
  return new LogPublisher();
}
