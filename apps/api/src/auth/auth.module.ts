import { createSecretKey } from 'node:crypto';
import { AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccessGuard } from '../access/access.guard';
import { CredentialsService } from '../access/credentials.service';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AccessTokens } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';

/** Sign-up, log-in, and the global guard that authenticates and authorises every route. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) }),
    }),
    WorkspacesModule,
  ],
  controllers: [AuthController],
  providers: [
    AccessTokens,
    PasswordHasher,
    LoginThrottle,
    AuthService,
    CredentialsService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, AccessTokens, PasswordHasher, LoginThrottle],
})
export class AuthModule {}
