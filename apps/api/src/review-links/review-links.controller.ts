import { DomainError } from '@app/domain';
import type { PostEntity } from '@app/persistence';
import { Body, Controller, Get, Headers, Ip, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/access.decorators';
import { toProblem } from '../common/problem';
import { messagePage, reviewPage } from './review-links.templates';
import { ReviewLinksService } from './review-links.service';

// Images load from wherever the post takes them: the reviewer sees what will go out.
const CSP =
  "default-src 'none'; img-src https: http:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** HTML for approvers acting from e-mail, without logging in. */
@ApiExcludeController()
@Public()
@Controller('review')
export class ReviewLinksController {
  constructor(private readonly pages: ReviewLinksService) {}

  /** Shows the post; changes nothing, consumes nothing. */
  @Get(':token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, async () => reviewPage(await this.pages.page(token)));
  }

  @Post(':token')
  async act(
    @Param('token') token: string,
    @Body() form: Record<string, unknown> | undefined,
    @Ip() ip: string,
    @Headers('user-agent') userAgent: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.answer(reply, async () => {
      let post: PostEntity;
      try {
        post = await this.pages.act(token, form ?? {}, { ip, userAgent });
      } catch (error) {
        // A refused form (a rejection without a comment) is answered on the page, with what was typed.
        if (!(error instanceof DomainError) || toProblem(error).status !== 400) throw error;
        void reply.status(400);
        return reviewPage({
          ...(await this.pages.page(token)),
          error: error.message,
          comment: typeof form?.comment === 'string' ? form.comment : undefined,
        });
      }
      return post.status === 'changes_requested'
        ? messagePage('Changes requested', 'Thank you. The author has been told what to change.')
        : messagePage(
            'Approved',
            `Thank you, your sign-off is recorded. The post is now ${post.status.replace('_', ' ')}.`,
          );
    });
  }

  private async answer(reply: FastifyReply, render: () => Promise<string>): Promise<void> {
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', CSP);
    try {
      // 200 (not a POST's 201) unless the page sets its own status: a refused form.
      void reply.status(200);
      const html = await render();
      await reply.send(html);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const problem = toProblem(error);
      const heading =
        problem.status === 404
          ? 'This link is not known'
          : problem.status === 410
            ? 'This link no longer works'
            : 'That did not work';
      await reply.status(problem.status).send(messagePage(heading, problem.detail));
    }
  }
}
