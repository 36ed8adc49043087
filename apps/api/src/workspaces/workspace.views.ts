import { ROLES, type Role } from '@app/domain';
import type { UserEntity, WorkspaceEntity } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class UserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() name!: string;
}

export class WorkspaceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Europe/Paris' }) timezone!: string;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) pausedReason!: string | null;
  @ApiProperty({
    enum: ROLES,
    isArray: true,
    description: 'the roles that must sign in with a second factor to act here',
  })
  requireMfaFor!: Role[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A workspace with the caller's role in it. */
export class WorkspaceWithRoleView extends WorkspaceView {
  @ApiProperty({ enum: ROLES }) role!: Role;
}

/** A login: the token to send as `Authorization: Bearer`. */
export class TokenView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds' }) expiresIn!: number;
  @ApiProperty({
    description: 'renews the session once at POST /v1/auth/refresh (REFRESH_TTL_DAYS unused); keep it secret',
  })
  refreshToken!: string;
}

/** A login that needs the second factor next: POST /v1/auth/login/mfa with the code. */
export class MfaChallengeView {
  @ApiProperty({ enum: [true] }) mfaRequired!: true;
  @ApiProperty({ description: 'send it back with the code to POST /v1/auth/login/mfa' }) mfaToken!: string;
  @ApiProperty({ description: 'seconds the challenge lasts' }) expiresIn!: number;
}

export class SignedUpView extends TokenView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ type: WorkspaceWithRoleView }) workspace!: WorkspaceWithRoleView;
}

export const userView = (u: UserEntity): UserView => ({ id: u.id, email: u.email, name: u.name });

export const workspaceView = (w: WorkspaceEntity): WorkspaceView => ({
  id: w.id,
  name: w.name,
  timezone: w.timezone,
  paused: w.paused,
  pausedReason: w.pausedReason,
  requireMfaFor: w.requireMfaFor,
  createdAt: w.createdAt.toISOString(),
});

export const workspaceWithRoleView = (w: WorkspaceEntity, role: Role): WorkspaceWithRoleView => ({
  ...workspaceView(w),
  role,
});
