import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

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
}
