import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';

/** Single sign-on with an OpenID Connect provider (OIDC_ISSUER). */
@Module({ imports: [AuthModule, InvitationsModule], controllers: [OidcController], providers: [OidcService] })
export class SsoModule {}
