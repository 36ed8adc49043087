import { DEFAULT_WORKFLOW_OPTIONS, ROLES, type Role } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IsName } from '../../common/validators';

/** A whole number of at least 1, or 'all'. */
const IsRequiredCount = (): PropertyDecorator =>
  ValidateBy({
    name: 'isRequiredCount',
    validator: {
      validate: (v: unknown) =>
        v === 'all' || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100),
      defaultMessage: () => "must be a whole number of at least 1, or 'all'",
    },
  });

export class ApproversDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'must be user ids' })
  userIds?: string[];

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(ROLES, { each: true, message: `must be among ${ROLES.join(', ')}` })
  roles?: Role[];
}

export class StageDto {
  @ApiProperty({ example: 'Legal' }) @IsName() name!: string;

  @ApiProperty({ type: ApproversDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ApproversDto)
  approvers!: ApproversDto;

  @ApiProperty({
    oneOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', enum: ['all'] },
    ],
  })
  @IsRequiredCount()
  required!: number | 'all';
}

export class WorkflowOptionsDto {
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() scheduleChangeResetsApprovals?: boolean;
  @ApiPropertyOptional({ default: DEFAULT_WORKFLOW_OPTIONS.maxLatenessMinutes })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  maxLatenessMinutes?: number;
}

export class WorkflowDto {
  @ApiProperty({ example: 'Legal then brand' }) @IsName() name!: string;

  @ApiProperty({ type: [StageDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => StageDto)
  stages!: StageDto[];

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() isDefault?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'fast track: its posts may publish while the workspace is paused; only admins route posts through it',
  })
  @IsOptional()
  @IsBoolean()
  emergency?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: 'channels that follow this workflow instead of the default',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'must be channel ids' })
  channelIds?: string[];

  @ApiPropertyOptional({ type: WorkflowOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkflowOptionsDto)
  options?: WorkflowOptionsDto;
}
