import { channelLabel, DomainError } from '@app/domain';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { answerPage, messagePage } from '../common/html-page';
import { NetworkAccounts } from './network-accounts';

/**
 * Where a Mastodon instance sends the browser back after the person said yes (or
 * no) on its page: a page saying what became of the connection. The state, not a
 * login, says whose and which workspace's it is; it works once.
 */
@ApiExcludeController()
@Public()
@Controller('v1/oauth/mastodon')
export class MastodonOAuthController {
  constructor(private readonly accounts: NetworkAccounts) {}

  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    await answerPage(reply, async () => {
      const declined = query.get('error');
      if (declined) {
        throw DomainError.invalid(
          'code',
          `The instance did not connect the account: ${query.get('error_description') ?? declined}`,
        );
      }
      const channel = await this.accounts.finishMastodon(query.get('code') ?? '', query.get('state') ?? '');
      return messagePage(
        'Account connected',
        `${channelLabel(channel)} publishes as ${channel.handle ?? 'the account'} now. You can close this page.`,
      );
    });
  }
}
