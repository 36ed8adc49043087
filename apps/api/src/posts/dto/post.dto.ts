import {
  DISAMBIGUATIONS,
  POST_STATUSES,
  POST_VISIBILITIES,
  type Disambiguation,
  type PostStatus,
  type PostVisibility,
} from '@app/domain';
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
import {
  CommaList,
  IsInstant,
  IsInstantOrLocal,
  IsLanguageTag,
  IsOmittable,
  IsTimeZoneName,
} from '../../common/validators';

const URL: Parameters<typeof IsUrl>[0] = { protocols: ['http', 'https'], require_protocol: true };
const MAX_TEXT = 63206; // the longest any network accepts; each channel's own limit is checked too
export const MAX_MEDIA = 10;
/** Mastodon's limit for a media description; Bluesky takes more. */
const MAX_ALT = 1500;
/** Bounds the field; the warning and the text together are held to the channel's limit. */
const MAX_WARNING = 1500;
const WARNING_DOC =
  "shown before the text, which stays folded until opened: Mastodon's spoiler_text (Mastodon channels only; counts toward the limit with the text)";
const VISIBILITY_DOC = 'who sees it on Mastodon (other networks: public only); public by default';
const LANGUAGE_DOC = "the text's language as a BCP 47 tag (fr, pt-BR): Mastodon's language, Bluesky's langs";

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

  @ApiPropertyOptional({ maxLength: MAX_WARNING, description: WARNING_DOC })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty (leave it out for none)' })
  @MaxLength(MAX_WARNING)
  contentWarning?: string;

  @ApiPropertyOptional({ enum: POST_VISIBILITIES, description: VISIBILITY_DOC })
  @IsOmittable()
  @IsIn(POST_VISIBILITIES, { message: `must be one of ${POST_VISIBILITIES.join(', ')}` })
  visibility?: PostVisibility;

  @ApiPropertyOptional({ example: 'fr', description: LANGUAGE_DOC })
  @IsOptional()
  @IsLanguageTag()
  language?: string;

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

  @ApiPropertyOptional({ format: 'uuid', description: 'the campaign it is part of' })
  @IsOmittable()
  @IsUUID('all', { message: 'must be a campaign id' })
  campaignId?: string;
}

/** Any subset of the post's fields; `null` removes the link, the content warning or the language. */
export class UpdatePostDto extends PartialType(
  OmitType(CreatePostDto, ['link', 'workflowId', 'contentWarning', 'language', 'campaignId'] as const),
) {
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsUrl(URL, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  link?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: MAX_WARNING, description: WARNING_DOC })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty (null removes it)' })
  @MaxLength(MAX_WARNING)
  contentWarning?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'fr', description: LANGUAGE_DOC })
  @IsOptional()
  @IsLanguageTag()
  language?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: "owners and admins only, before submission; null: the channel's or the default",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a workflow id' })
  workflowId?: string | null;

  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'null: out of its campaign' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a campaign id' })
  campaignId?: string | null;
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
