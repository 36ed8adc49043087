import { channelLabel, DomainError } from '@app/domain';
import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { Public } from '../access/access.decorators';
import { answerPage, htmlPage, messagePage } from '../common/html-page';
import { NetworkAccounts, type MastodonConfirmation } from './network-accounts';

const CONFIRM = Handlebars.compile(
  `<h1>Connect {{account}}?</h1>
<p>{{requestedBy}} asked to connect this Mastodon account to the workspace <strong>{{workspaceName}}</strong>, as the channel “{{channelName}}”.</p>
<p>Its owners and admins will then be able to publish as {{account}} once their own sign-offs are given. If you do not know this workspace or this person, cancel.</p>
<form method="post">
<input type="hidden" name="state" value="{{state}}">
<input type="hidden" name="confirm" value="{{confirmToken}}">
<button class="approve" type="submit" name="decision" value="connect">Connect {{account}}</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>`,
);

/**
 * Where a Mastodon instance sends the browser back after the person said yes (or
 * no) on its page. The account is checked, then shown with the workspace and the
 * person who asked, to confirm: the state, not a login, says whose it is, and a link
 * made by someone else must not connect an account without its owner seeing where.
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
      const asked: MastodonConfirmation = await this.accounts.authorizedMastodon(
        query.get('code') ?? '',
        query.get('state') ?? '',
      );
      return htmlPage(`Connect ${asked.account}?`, CONFIRM(asked));
    });
  }

  @Post('callback')
  async confirm(@Body() form: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : '');
    await answerPage(reply, async () => {
      if (field('decision') !== 'connect') {
        await this.accounts.cancelMastodon(field('state'));
        return messagePage('Not connected', 'Nothing was connected. You can close this page.');
      }
      const channel = await this.accounts.confirmMastodon(field('state'), field('confirm'));
      return messagePage(
        'Account connected',
        `${channelLabel(channel)} publishes as ${channel.handle ?? 'the account'} now. You can close this page.`,
      );
    });
  }
}
