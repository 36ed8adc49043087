import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import type { FastifyReply } from 'fastify';
import Handlebars from 'handlebars';
import type { ClientInfo } from '@app/persistence';
import { Public } from '../access/access.decorators';
import { Client } from '../common/client-info';
import { assertFormToken, formToken } from '../common/form-token';
import { answerForm, answerPage, htmlPage, messagePage } from '../common/html-page';
import { PasswordsService } from './passwords.service';

const FORM = Handlebars.compile(
  `<h1>Choose a new password</h1>
<p class="meta">For <strong>{{email}}</strong>. Every session of this account ends when it is changed.</p>
<form method="post">
<input type="hidden" name="csrf" value="{{csrf}}">
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<label for="password">New password (at least 10 characters, hard to guess)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="10" maxlength="256" required>
<button class="approve" type="submit">Set the password</button>
</form>`,
);

/** The page the password reset e-mail links to: a form, then a message. */
@ApiExcludeController()
@Public()
@Controller('reset')
export class PasswordResetPageController {
  constructor(
    private readonly passwords: PasswordsService,
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
    await answerForm(
      reply,
      async () => {
        await this.passwords.resetLinkOwner(token);
        assertFormToken(this.config.jwtSecret, 'reset', token, form?.csrf);
        const password = form?.password;
        if (typeof password !== 'string') throw DomainError.invalid('password', 'type a new password, once');
        await this.passwords.reset(token, password, client);
        return messagePage('Your password is changed', 'Log in with your new password.');
      },
      (error) => this.form(token, error),
    );
  }

  private async form(token: string, error?: string): Promise<string> {
    const user = await this.passwords.resetLinkOwner(token);
    const csrf = formToken(this.config.jwtSecret, 'reset', token);
    return htmlPage('Choose a new password', FORM({ email: user.email, csrf, error }));
  }
}
