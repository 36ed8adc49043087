import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';

/** Two-factor sign-in (TOTP) and the second step of a login. */
@Module({ imports: [AuthModule], controllers: [MfaController], providers: [MfaService] })
export class MfaModule {}
