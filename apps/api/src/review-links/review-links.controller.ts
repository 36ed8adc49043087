import { Body, Controller, Get, Headers, Ip, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/access.decorators';
import { answerForm, answerPage, messagePage } from '../common/html-page';
import { reviewPage } from './review-links.templates';
import { ReviewLinksService } from './review-links.service';

/** HTML for approvers acting from e-mail, without logging in. */
@ApiExcludeController()
@Public()
@Controller('review')
export class ReviewLinksController {
  constructor(private readonly pages: ReviewLinksService) {}

  /** Shows the post; changes nothing, consumes nothing. */
  @Get(':token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await answerPage(reply, async () => reviewPage(await this.pages.page(token)));
  }

  @Post(':token')
  async act(
    @Param('token') token: string,
    @Body() form: Record<string, unknown> | undefined,
    @Ip() ip: string,
    @Headers('user-agent') userAgent: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fields = form ?? {};
    if (fields.intent === 'comment') {
      // A comment leaves the link as it was: the page again, with the comment on it.
      await answerForm(
        reply,
        async () => {
          await this.pages.comment(token, fields);
          return reviewPage({ ...(await this.pages.page(token)), commentNotice: 'Your comment was added.' });
        },
        async (error) => reviewPage({ ...(await this.pages.page(token)), error }),
      );
      return;
    }
    await answerForm(
      reply,
      async () => {
        const post = await this.pages.act(token, fields, { ip, userAgent });
        return post.status === 'changes_requested'
          ? messagePage('Changes requested', 'Thank you. The author has been told what to change.')
          : messagePage(
              'Approved',
              `Thank you, your sign-off is recorded. The post is now ${post.status.replace('_', ' ')}.`,
            );
      },
      // A refused form (a rejection without a comment) is answered on the page, with what was typed.
      async (error) =>
        reviewPage({
          ...(await this.pages.page(token)),
          error,
          comment: typeof fields.comment === 'string' ? fields.comment : undefined,
        }),
    );
  }
}
