import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

@Module({ imports: [ApprovalsModule], controllers: [MembersController], providers: [MembersService] })
export class MembersModule {}
