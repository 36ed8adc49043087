import { AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { ClientInfo } from '@app/persistence';
import type { FastifyReply } from 'fastify';
import Handlebars from 'handlebars';
import { Public } from '../access/access.decorators';
import { Client } from '../common/client-info';
import { assertFormToken, formToken } from '../common/form-token';
import { answerForm, answerPage, htmlPage, messagePage } from '../common/html-page';
import { hasProvedAccount, InvitationsService } from './invitations.service';

const FORM = Handlebars.compile(
  `<h1>Join {{workspaceName}}</h1>
<p class="meta">You are invited as <strong>{{role}}</strong>, as {{email}}.</p>
<form method="post">
<input type="hidden" name="csrf" value="{{csrf}}">
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
{{#if hasAccount}}
<p>You have a Countersign account already: type its password to accept.</p>
<label for="password">Your password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
{{else}}
<label for="name">Your name, as the others will see it</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="{{name}}" required>
<label for="password">Choose a password (at least 10 characters, hard to guess)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="10" maxlength="256" required>
{{/if}}
<button class="approve" type="submit">Accept the invitation</button>
</form>`,
);

/** The page an invitation e-mail links to: a form to accept it, then a message. */
@ApiExcludeController()
@Public()
@Controller('invite')
export class InvitationPageController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await answerPage(reply, () => this.form(token));
  }

  @Post(':token')
  async submit(
    @Param('token') token: string,
    @Body() form: Record<string, unknown> | undefined,
    @Client() client: ClientInfo,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const name = typeof form?.name === 'string' ? form.name.trim() : undefined;
    await answerForm(
      reply,
      async () => {
        await this.invitations.open(token);
        assertFormToken(this.config.jwtSecret, 'invite', token, form?.csrf);
        if (typeof form?.password !== 'string')
          throw DomainError.invalid('password', 'type a password, once');
        if (form.name !== undefined && !name) throw DomainError.invalid('name', 'type your name');
        const { workspace } = await this.invitations.accept(token, { name, password: form.password }, client);
        return messagePage(
          `Welcome to ${workspace.name}`,
          'You are a member now. Log in with your e-mail and password wherever your team uses Countersign.',
        );
      },
      (error) => this.form(token, error, name),
    );
  }

  private async form(token: string, error?: string, name?: string): Promise<string> {
    const { invitation, user, workspace } = await this.invitations.open(token);
    return htmlPage(
      `Join ${workspace.name}`,
      FORM({
        workspaceName: workspace.name,
        role: invitation.role,
        email: user.email,
        name: name ?? user.name,
        hasAccount: hasProvedAccount(user),
        csrf: formToken(this.config.jwtSecret, 'invite', token),
        error,
      }),
    );
  }
}
