import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { PostsModule } from '../posts/posts.module';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [ApprovalsModule, PostsModule],
  controllers: [CampaignsController],
  providers: [CampaignsService],
})
export class CampaignsModule {}
