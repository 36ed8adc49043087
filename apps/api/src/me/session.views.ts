import { ACCOUNT_ACTIONS, type AccountAction, type AccountEvent, type SessionRow } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class SessionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'the last request or refresh, to the minute' })
  lastUsedAt!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ description: 'the session this request was made with' }) current!: boolean;
  @ApiProperty({ description: 'opened or confirmed with a second factor' }) secondFactor!: boolean;
}

export const sessionView = (s: SessionRow, currentId: string): SessionView => ({
  id: s.id,
  createdAt: s.createdAt.toISOString(),
  lastUsedAt: s.lastUsedAt.toISOString(),
  userAgent: s.userAgent,
  ip: s.ip,
  current: s.id === currentId,
  secondFactor: s.secondFactorAt !== null,
});

export class SecurityEventView {
  @ApiProperty({ enum: ACCOUNT_ACTIONS }) action!: AccountAction;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'for sign-ins: method (signup, password, password+totp, invitation, sso), secondFactor, sessionId',
  })
  detail!: Record<string, unknown>;
}

export const securityEventView = (e: AccountEvent): SecurityEventView => ({
  action: e.action,
  at: e.createdAt.toISOString(),
  ip: e.ip,
  userAgent: e.userAgent,
  detail: e.detail,
});
