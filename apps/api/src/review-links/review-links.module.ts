import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { CommentsModule } from '../comments/comments.module';
import { ReviewLinksController } from './review-links.controller';
import { ReviewLinksService } from './review-links.service';

@Module({
  imports: [ApprovalsModule, CommentsModule],
  controllers: [ReviewLinksController],
  providers: [ReviewLinksService],
})
export class ReviewLinksModule {}
