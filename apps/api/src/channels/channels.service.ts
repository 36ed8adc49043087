import { DomainError, type Actor } from '@app/domain';
import { ChannelsRepository, type ChannelEntity, type Page } from '@app/persistence';
import { OutboundHttp } from '@app/publishers';
import { Injectable } from '@nestjs/common';
import { assertReceiverUrl } from '../common/receiver-url';
import type { CreateChannelDto } from './dto/create-channel.dto';

/** Channels: the social accounts of a workspace and how to publish to them. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly http: OutboundHttp,
  ) {}

  create(actor: Actor, dto: CreateChannelDto): Promise<ChannelEntity> {
    const webhook = dto.publisher.kind === 'webhook';
    if (webhook) assertReceiverUrl(this.http, 'publisher.url', dto.publisher.url);
    return this.channels.create({
      workspaceId: actor.workspaceId,
      name: dto.name,
      network: dto.network,
      handle: dto.handle ?? null,
      publisherKind: dto.publisher.kind,
      publisherUrl: webhook ? (dto.publisher.url ?? null) : null,
      publisherSecret: webhook ? (dto.publisher.secret ?? null) : null,
    });
  }

  list(actor: Actor, limit: number, cursor?: string): Promise<Page<ChannelEntity>> {
    return this.channels.list(actor.workspaceId, limit, cursor);
  }

  async get(actor: Actor, id: string): Promise<ChannelEntity> {
    const channel = await this.channels.findInWorkspace(actor.workspaceId, id);
    if (!channel) throw DomainError.notFound('Channel');
    return channel;
  }
}
