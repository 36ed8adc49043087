import { DomainError, type Actor } from '@app/domain';
import { ChannelsRepository, type ChannelEntity, type Page } from '@app/persistence';
import { OutboundHttp } from '@app/publishers';
import { Injectable } from '@nestjs/common';
import { assertReceiverUrl } from '../common/receiver-url';
import type { CreateChannelDto } from './dto/create-channel.dto';
import { NetworkAccounts, type VerifiedAccount } from './network-accounts';

/** Bluesky's own PDS, where accounts made in the app live. */
const DEFAULT_BLUESKY_SERVICE = 'https://bsky.social';

/** Channels: the social accounts of a workspace and how to publish to them. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly http: OutboundHttp,
    private readonly accounts: NetworkAccounts,
  ) {}

  async create(actor: Actor, dto: CreateChannelDto): Promise<ChannelEntity> {
    const { publisher } = dto;
    const webhook = publisher.kind === 'webhook';
    if (webhook) assertReceiverUrl(this.http, 'publisher.url', publisher.url);
    const account = await this.networkAccount(dto);
    return this.channels.create({
      workspaceId: actor.workspaceId,
      name: dto.name,
      network: dto.network,
      handle: dto.handle ?? account?.config.handle ?? null,
      publisherKind: publisher.kind,
      publisherUrl: webhook ? (publisher.url ?? null) : null,
      publisherSecret: webhook ? (publisher.secret ?? null) : null,
      publisherConfig: account?.config ?? {},
      publisherCredentials: account ? this.channels.seal(account.credentials) : null,
    });
  }

  /** Checks the channel's credentials with its network again (see NetworkAccounts.check). */
  async check(actor: Actor, id: string, appPassword?: string): Promise<ChannelEntity> {
    const channel = await this.channels.findWithCredentials(actor.workspaceId, id);
    if (!channel) throw DomainError.notFound('Channel');
    if (appPassword !== undefined) {
      if (channel.publisherKind !== 'bluesky') {
        throw DomainError.invalid(
          'appPassword',
          `is for Bluesky channels; this one publishes through ${channel.publisherKind}`,
        );
      }
      await this.accounts.renew(channel, { appPassword });
    } else {
      await this.accounts.check(channel);
    }
    return this.get(actor, id);
  }

  /** A Mastodon or Bluesky account, checked with the network before the channel keeps it. */
  private async networkAccount(dto: CreateChannelDto): Promise<VerifiedAccount | null> {
    const { publisher } = dto;
    if (publisher.kind !== 'mastodon' && publisher.kind !== 'bluesky') return null;
    if (dto.network !== publisher.kind) {
      throw DomainError.invalid(
        'publisher.kind',
        `publishes to ${publisher.kind}; the channel's network is ${dto.network}`,
      );
    }
    if (publisher.kind === 'mastodon') {
      return this.accounts.verify(
        'mastodon',
        new URL(publisher.instanceUrl!).origin,
        { accessToken: publisher.accessToken },
        {
          url: 'publisher.instanceUrl',
          secret: 'publisher.accessToken',
        },
      );
    }
    const service = new URL(publisher.service ?? DEFAULT_BLUESKY_SERVICE).origin;
    return this.accounts.verify(
      'bluesky',
      service,
      { identifier: publisher.identifier, appPassword: publisher.appPassword },
      { url: 'publisher.service', secret: 'publisher.appPassword' },
    );
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
