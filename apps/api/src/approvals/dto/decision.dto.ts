import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

export class DecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: 'must be approve or reject' })
  decision!: 'approve' | 'reject';

  @ApiProperty({ description: 'the version you reviewed; a decision on an older one is refused (409)' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ description: 'required when rejecting' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'decide as the stand-in of this member (their delegation to you in force); left out: as yourself where you can sign off, else for a member you stand in for who can',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id' })
  onBehalfOf?: string;
}
