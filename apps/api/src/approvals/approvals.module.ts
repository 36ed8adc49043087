import { Module } from '@nestjs/common';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsService } from './approvals.service';
import { ReviewProgress } from './review-progress';

@Module({
  controllers: [ApprovalsController],
  providers: [ApprovalsService, ReviewProgress],
  exports: [ApprovalsService, ReviewProgress],
})
export class ApprovalsModule {}
