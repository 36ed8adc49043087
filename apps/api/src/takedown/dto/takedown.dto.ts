import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const TAKEDOWN_REASONS = ['obscene', 'hack', 'error', 'other'] as const;
export type TakedownReason = (typeof TAKEDOWN_REASONS)[number];

export class TakedownDto {
  @ApiProperty({ enum: TAKEDOWN_REASONS })
  @IsIn(TAKEDOWN_REASONS, { message: `must be one of ${TAKEDOWN_REASONS.join(', ')}` })
  reason!: TakedownReason;

  @ApiPropertyOptional({ description: 'what happened, for the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
