import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { MastodonOAuthController } from './mastodon-oauth.controller';
import { NetworkAccounts } from './network-accounts';

@Module({
  controllers: [ChannelsController, MastodonOAuthController],
  providers: [ChannelsService, NetworkAccounts],
  exports: [ChannelsService],
})
export class ChannelsModule {}
