import type { SessionRow } from '@app/persistence';
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
