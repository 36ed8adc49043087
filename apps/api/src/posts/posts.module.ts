import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';
import { PublishNowService } from './publish-now.service';

@Module({
  imports: [ApprovalsModule],
  controllers: [PostsController],
  providers: [PostsService, PublishNowService],
  exports: [PostsService],
})
export class PostsModule {}
