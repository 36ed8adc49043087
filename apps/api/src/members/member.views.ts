import { ROLES } from '@app/domain';
import type { Delegation, MemberRow } from '@app/persistence';
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

/** A member's stand-in for a window of time. */
export class DelegationView {
  @ApiProperty({ format: 'uuid', description: 'the member who is away' }) userId!: string;
  @ApiProperty({ format: 'uuid', description: 'who signs off for them meanwhile' }) delegateUserId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) until!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: 'true while the window is open' }) inForce!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'who set it' })
  setBy!: string | null;
}

export const delegationView = (d: Delegation, now = new Date()): DelegationView => ({
  userId: d.userId,
  delegateUserId: d.delegateUserId,
  from: d.startsAt.toISOString(),
  until: d.endsAt.toISOString(),
  note: d.note,
  inForce: d.startsAt <= now && now < d.endsAt,
  setBy: d.createdByUserId,
});
