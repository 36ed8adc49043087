import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

/** `/v1/me`: a person's own account. */
@Module({
  imports: [WorkspacesModule, AuthModule],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}
