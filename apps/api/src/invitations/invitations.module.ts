import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { AuthModule } from '../auth/auth.module';
import { InvitationPageController } from './invitation-page.controller';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

/** Accepting an invitation, by JSON or from the page its e-mail links to. */
@Module({
  imports: [AuthModule, ApprovalsModule],
  controllers: [InvitationsController, InvitationPageController],
  providers: [InvitationsService],
  exports: [InvitationsService],
})
export class InvitationsModule {}
