import { ROLES } from '@app/domain';
import type { MemberRow } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class MemberView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({
    description: 'false for people who act only from e-mail links (or have not set a password yet)',
  })
  canLogIn!: boolean;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
}

export const memberView = ({ membership, user }: MemberRow): MemberView => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  role: membership.role,
  canLogIn: user.passwordHash !== null,
  addedAt: membership.createdAt.toISOString(),
});
