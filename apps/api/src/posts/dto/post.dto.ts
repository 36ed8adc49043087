import { DISAMBIGUATIONS, POST_STATUSES, type Disambiguation, type PostStatus } from '@app/domain';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { CommaList, IsInstant, IsInstantOrLocal, IsTimeZoneName } from '../../common/validators';

const URL: Parameters<typeof IsUrl>[0] = { protocols: ['http', 'https'], require_protocol: true };
const MAX_TEXT = 63206; // the longest any network accepts; each channel's own limit is checked too
export const MAX_MEDIA = 10;
/** Mastodon's limit for a media description; Bluesky takes more. */
const MAX_ALT = 1500;

export class CreatePostDto {
  @ApiProperty() @IsUUID('all', { message: 'must be a channel id' }) channelId!: string;

  @ApiProperty({ maxLength: MAX_TEXT, description: "also limited by the channel's network" })
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(MAX_TEXT)
  text!: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_MEDIA })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MEDIA)
  @IsUrl(URL, { each: true, message: 'must be http(s) URLs' })
  @MaxLength(2048, { each: true })
  mediaUrls?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_MEDIA,
    description:
      'alt text of each media, in the order of mediaUrls ("" for none); sent to the networks. On PATCH without it, media that stay keep theirs',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MEDIA)
  @IsString({ each: true })
  @MaxLength(MAX_ALT, { each: true })
  mediaAlt?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl(URL, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  link?: string;

  @ApiProperty({
    example: '2026-05-01T09:30:00+02:00',
    description:
      'in the future: ISO 8601 with an offset, or a local date-time without one (2026-05-01T09:30) read in `timezone`',
  })
  @IsInstantOrLocal()
  scheduledAt!: string;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    description: "the IANA zone a local scheduledAt is read in; the workspace's by default",
  })
  @IsOptional()
  @IsTimeZoneName()
  timezone?: string;

  @ApiPropertyOptional({
    enum: DISAMBIGUATIONS,
    description: 'a local scheduledAt that happens twice (clocks going back): which one; earlier by default',
  })
  @IsOptional()
  @IsIn(DISAMBIGUATIONS, { message: `must be one of ${DISAMBIGUATIONS.join(', ')}` })
  disambiguation?: Disambiguation;

  @ApiPropertyOptional({
    description:
      "review under this workflow instead of the channel's or the default (owners and admins only)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a workflow id' })
  workflowId?: string;
}

/** Any subset of the post's fields; `link: null` removes the link. */
export class UpdatePostDto extends PartialType(OmitType(CreatePostDto, ['link', 'workflowId'] as const)) {
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsUrl(URL, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  link?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: "owners and admins only, before submission; null: the channel's or the default",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a workflow id' })
  workflowId?: string | null;
}

export class ListPostsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: POST_STATUSES,
    isArray: true,
    description: 'statuses, repeated (status=a&status=b) or comma-separated (status=a,b)',
  })
  @IsOptional()
  @CommaList()
  @IsIn(POST_STATUSES, { each: true, message: `must be among ${POST_STATUSES.join(', ')}` })
  status?: PostStatus[];

  @ApiPropertyOptional() @IsOptional() @IsUUID('all') channelId?: string;
  @ApiPropertyOptional({ description: 'posts written by this user' })
  @IsOptional()
  @IsUUID('all')
  authorId?: string;
  @ApiPropertyOptional({ description: 'posts written by this API key' })
  @IsOptional()
  @IsUUID('all')
  apiKeyId?: string;
  @ApiPropertyOptional({ description: 'scheduledAt >= from (ISO 8601 with offset)' })
  @IsOptional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({ description: 'scheduledAt < to (ISO 8601 with offset)' })
  @IsOptional()
  @IsInstant()
  to?: string;
}
