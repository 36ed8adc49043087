import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { MembersController } from './members.controller';
import { DelegationsService } from './delegations.service';
import { MembersService } from './members.service';
import { Quotas } from '../common/quotas';

@Module({
  imports: [ApprovalsModule],
  controllers: [MembersController],
  providers: [MembersService, DelegationsService, Quotas],
})
export class MembersModule {}
