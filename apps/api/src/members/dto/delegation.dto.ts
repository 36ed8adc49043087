import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsInstant } from '../../common/validators';

export class DelegationDto {
  @ApiProperty({
    format: 'uuid',
    description: 'an active member (not a contributor) who signs off for this member in the window',
  })
  @IsUUID('all', { message: 'must be a user id' })
  delegateUserId!: string;

  @ApiProperty({ example: '2027-07-01T00:00:00+02:00', description: 'when the stand-in starts' })
  @IsInstant()
  from!: string;

  @ApiProperty({
    example: '2027-07-15T00:00:00+02:00',
    description: 'when it ends: after from, in the future, at most 180 days later',
  })
  @IsInstant()
  until!: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'On holiday; Ben signs for me' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
