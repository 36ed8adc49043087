import type { ChannelEntity } from '@app/persistence';

export interface ChannelView {
  id: string;
  name: string;
  network: string;
  handle: string | null;
  /** the secret is write-only and never returned */
  publisher: { kind: 'webhook'; url: string } | { kind: 'log' };
  paused: boolean;
  pausedReason: string | null;
  createdAt: string;
}

export const channelView = (c: ChannelEntity): ChannelView => ({
  id: c.id,
  name: c.name,
  network: c.network,
  handle: c.handle,
  publisher: c.publisherKind === 'webhook' ? { kind: 'webhook', url: c.publisherUrl ?? '' } : { kind: 'log' },
  paused: c.paused,
  pausedReason: c.pausedReason,
  createdAt: c.createdAt.toISOString(),
});
