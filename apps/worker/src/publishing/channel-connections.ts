import { AuditRepository, ChannelsRepository, OutboxRepository } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * A network that refuses a channel's credentials: the channel is marked as needing
 * to be connected again (the gate then blocks its posts instead of calling out), the
 * change is audited, and its owners and admins are mailed, once.
 */
@Injectable()
export class ChannelConnections {
  private readonly logger = new Logger(ChannelConnections.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelsRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async lost(channelId: string, reason: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const channel = await this.channels.markNeedsReconnect(channelId, reason, em);
      if (!channel) return;
      this.logger.warn(`channel ${channel.id} (${channel.network}) needs reconnecting: ${reason}`);
      await this.audit.append(
        {
          workspaceId: channel.workspaceId,
          actorKind: 'system',
          actorId: null,
          action: 'channel.needs_reconnect',
          after: { channelId: channel.id, reason },
        },
        em,
      );
      await this.outbox.push(
        {
          topic: 'mail.account',
          payload: { kind: 'channel_needs_reconnect', workspaceId: channel.workspaceId, channelId, reason },
        },
        em,
      );
    });
  }
}
