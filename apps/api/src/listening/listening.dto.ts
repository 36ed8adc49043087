import {
  ApiProperty,
  ApiPropertyOptional,
  IntersectionType,
  OmitType,
  PartialType,
  PickType,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { STATS_BUCKETS, type StatsBucket } from '@app/domain';
import { PageQueryDto } from '../common/pagination.dto';
import { CreatePostDto } from '../posts/dto/post.dto';
import { IsInstant, IsLanguageTag, IsName, IsOmittable } from '../common/validators';

/** The most mentions one inbound request carries. */
export const MAX_INBOUND_MENTIONS = 1000;

class InboundAuthorDto {
  @ApiProperty({ maxLength: 200, example: '@lee@mastodon.example' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  handle!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class InboundMentionDto {
  @ApiProperty({ maxLength: 32, example: 'mastodon', description: 'the network it was seen on' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  network!: string;

  @ApiProperty({ maxLength: 512, description: "the network's id of it: a mention is stored once per id" })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  externalId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the channel mentioned, when the tool knows it' })
  @IsOmittable()
  @IsUUID('all', { message: 'must be a channel id' })
  channelId?: string;

  @ApiProperty({ type: InboundAuthorDto })
  @ValidateNested()
  @Type(() => InboundAuthorDto)
  author!: InboundAuthorDto;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @MaxLength(10000)
  text!: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  url?: string;

  @ApiProperty({ example: '2027-03-15T09:30:00Z' })
  @IsInstant()
  createdAt!: string;

  @ApiPropertyOptional({ maxLength: 512, description: "the network's id of our post it answers" })
  @IsOmittable()
  @IsString()
  @MaxLength(512)
  inReplyTo?: string;

  @ApiPropertyOptional({ example: 'fr' })
  @IsOmittable()
  @IsLanguageTag()
  language?: string;
}

export class InboundMentionsDto {
  @ApiProperty({ type: [InboundMentionDto], maxItems: MAX_INBOUND_MENTIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INBOUND_MENTIONS)
  @ValidateNested({ each: true })
  @Type(() => InboundMentionDto)
  mentions!: InboundMentionDto[];
}

export class InboundTokenDto {
  @ApiProperty({ maxLength: 100, example: 'Brandwatch' }) @IsName() name!: string;
}

export class SpikeWatchDto {
  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 1440 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1440)
  windowMinutes?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minMentions?: number;

  @ApiPropertyOptional({ default: 4, minimum: 1 })
  @IsOmittable()
  @IsNumber()
  @Min(1)
  @Max(1000)
  factor?: number;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 1, description: 'e.g. 0.5; null: any share' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  negativeShare?: number | null;

  @ApiProperty({ enum: ['notify', 'pause'] })
  @IsIn(['notify', 'pause'], { message: 'must be notify or pause' })
  action!: 'notify' | 'pause';

  @ApiPropertyOptional({ default: 60, minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10080)
  cooldownMinutes?: number;
}

export class MentionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'handled'] })
  @IsOptional()
  @IsIn(['open', 'handled'], { message: 'must be open or handled' })
  status?: 'open' | 'handled';

  @ApiPropertyOptional() @IsOptional() @IsUUID('all') channelId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all') postId?: string;

  @ApiPropertyOptional({ enum: ['negative'] })
  @IsOptional()
  @IsIn(['negative'], { message: 'must be negative' })
  sentiment?: 'negative';
}

export class MentionStatsQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'start of the range; by default 6 hours (5m), 2 days (1h) or 30 days (1d) before `to`',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'end of the range; now by default' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    enum: STATS_BUCKETS,
    default: '1h',
    description: "5 minutes, or hours and days of the workspace's time zone",
  })
  @IsOptional()
  @IsIn(STATS_BUCKETS, { message: `must be one of ${STATS_BUCKETS.join(', ')}` })
  bucket?: StatsBucket;

  @ApiPropertyOptional({ format: 'uuid', description: "one channel's mentions only" })
  @IsOptional()
  @IsUUID('all', { message: 'must be a channel id' })
  channelId?: string;
}

export class MentionUpdateDto {
  @ApiPropertyOptional({ enum: ['open', 'handled'] })
  @IsOmittable()
  @IsIn(['open', 'handled'], { message: 'must be open or handled' })
  status?: 'open' | 'handled';

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'a member; null: nobody' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id' })
  assigneeId?: string | null;
}

/**
 * A reply: a post of its own, on the mention's channel, through the workflow and
 * the gate like any other. Without `scheduledAt` it is due five minutes from now.
 */
export class MentionReplyDto extends IntersectionType(
  OmitType(CreatePostDto, ['channelId', 'campaignId', 'scheduledAt'] as const),
  PartialType(PickType(CreatePostDto, ['scheduledAt'] as const)),
) {}
