import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { Quotas } from '../common/quotas';
import { PasswordResetPageController } from './password-reset-page.controller';
import { PasswordsController } from './passwords.controller';
import { PasswordsService } from './passwords.service';

/** Password change and reset (the JSON routes and the page the reset mail links to). */
@Module({
  imports: [AuthModule],
  controllers: [PasswordsController, PasswordResetPageController],
  providers: [PasswordsService, Quotas],
})
export class PasswordsModule {}
