import { AppConfig } from '@app/config';
import { digestDue } from '@app/domain';
import { createMailer, renderReviewDigest, type Mailer, type ReviewRequestData } from '@app/mail';
import { PostsRepository, ReviewDigestsRepository } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReviewRequests } from './review-requests';

/**
 * Run by a repeatable job: each member who takes a daily digest gets, once a day
 * from DIGEST_HOUR in each workspace's zone, one mail with the review requests held
 * for them there that still stand, each with a link made now. A member who turned
 * the digest off gets what was held at the next run. The requests are taken and the
 * day claimed in the transaction that sends, so a failed send leaves them for the
 * next run and two workers never send one digest twice.
 */
@Injectable()
export class ReviewDigests {
  private readonly logger = new Logger(ReviewDigests.name);
  private readonly mailer: Mailer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly digests: ReviewDigestsRepository,
    private readonly posts: PostsRepository,
    private readonly requests: ReviewRequests,
    private readonly config: AppConfig,
  ) {
    this.mailer = createMailer(config);
  }

  async run(now = new Date()): Promise<{ digests: number }> {
    let sent = 0;
    for (const waiting of await this.digests.waiting()) {
      const off = waiting.mailDigest === 'off';
      const day = digestDue(
        now,
        waiting.timezone,
        off ? 0 : this.config.digestHour,
        off ? null : waiting.lastSentOn,
      );
      if (!day) continue;
      const delivered = await this.db.transaction(async (em) => {
        const standing: ReviewRequestData[] = [];
        for (const held of await this.digests.take(waiting, day, off, em)) {
          const post = await this.posts.findInWorkspace(waiting.workspaceId, held.postId);
          const request = post && (await this.requests.stillOpen(post, { ...held, userId: waiting.userId }));
          if (request) standing.push(request);
        }
        if (standing.length === 0) return false;
        await this.mailer.send(
          waiting.email,
          renderReviewDigest(standing[0].workspaceName, standing),
          `digest-${waiting.workspaceId}-${waiting.userId}-${day}`,
        );
        return true;
      });
      if (delivered) sent += 1;
    }
    if (sent > 0) this.logger.log(`sent ${sent} review digest(s)`);
    return { digests: sent };
  }
}
