import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsInstant, IsName, IsOmittable } from '../common/validators';

/** The most posts one campaign call acts on (its answer lists each). */
export const MAX_CAMPAIGN_POSTS = 200;

export class CreateCampaignDto {
  @ApiProperty({ maxLength: 100, description: 'unique in the workspace, whatever its case' })
  @IsName()
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: '2027-03-01T00:00:00+01:00' })
  @IsOmittable()
  @IsInstant()
  startsAt?: string;

  @ApiPropertyOptional({ example: '2027-03-31T23:59:00+02:00', description: 'after startsAt' })
  @IsOmittable()
  @IsInstant()
  endsAt?: string;
}

export class CampaignApprovalsDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: 'must be approve or reject' })
  decision!: 'approve' | 'reject';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    example: { '0b6f3c55-6c4e-4f7a-9a53-8f7a3d1f2e10': 2 },
    description: 'each post to decide on, with the version you reviewed',
  })
  @IsObject()
  versions!: Record<string, number>;

  @ApiPropertyOptional({ description: 'required when rejecting; the same for every post' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class CampaignPauseDto {
  @ApiProperty({ maxLength: 500, example: 'Waiting for the recall statement' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}

export class CampaignVariantsDto {
  @ApiProperty({ format: 'uuid', description: 'the post to copy (of this campaign)' })
  @IsUUID('all', { message: 'must be a post id' })
  from!: string;

  @ApiProperty({ type: [String], description: 'the channels to make a draft for, one each' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'must be channel ids' })
  channelIds!: string[];
}
