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
  @ApiProperty({
    enum: ['active', 'invited'],
    description:
      '`invited`: has not accepted the invitation yet, so is not a member: no stage counts them and no route lets them in until they do',
  })
  status!: 'active' | 'invited';
  @ApiProperty({ format: 'date-time', description: 'when they were added, or invited' }) addedAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'for the invited: when the link stops working (resend-invitation makes a new one)',
  })
  invitationExpiresAt!: string | null;
}

export const memberView = (m: MemberRow): MemberView => ({
  userId: m.user.id,
  email: m.user.email,
  name: m.user.name,
  role: m.role,
  canLogIn: m.user.canLogIn,
  status: m.status,
  addedAt: m.addedAt.toISOString(),
  invitationExpiresAt: m.invitationExpiresAt?.toISOString() ?? null,
});
