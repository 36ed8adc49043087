import { NETWORKS, PUBLISHER_KINDS, type Network, type PublisherKind } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsName } from '../../common/validators';

/** The field belongs to the publisher kinds named; on any other kind it must be absent. */
const OnlyFor = (...kinds: PublisherKind[]): PropertyDecorator =>
  ValidateBy({
    name: 'onlyFor',
    validator: {
      validate: (_value, args) => kinds.includes((args?.object as PublisherDto).kind),
      defaultMessage: () => `is only for the ${kinds.join(' and ')} publisher`,
    },
  });

/** Required on `kind`, and refused on any other. */
const ForKind = (kind: PublisherKind) => (o: PublisherDto, value: unknown) =>
  o.kind === kind || value !== undefined;

const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/**
 * `{kind:'webhook', url, secret}`, `{kind:'log'}`, `{kind:'mastodon', instanceUrl,
 * accessToken}` (a token of the account's own; or connect by OAuth instead) or
 * `{kind:'bluesky', service?, identifier, appPassword}`.
 */
export class PublisherDto {
  @ApiProperty({ enum: PUBLISHER_KINDS })
  @IsIn(PUBLISHER_KINDS, { message: `must be one of ${PUBLISHER_KINDS.join(', ')}` })
  kind!: PublisherKind;

  @ApiPropertyOptional({ description: 'webhook only: where posts are POSTed' })
  @ValidateIf((o: PublisherDto) => ForKind('webhook')(o, o.url))
  @OnlyFor('webhook')
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ description: 'webhook only: HMAC key for X-Countersign-Signature (write-only)' })
  @ValidateIf((o: PublisherDto) => ForKind('webhook')(o, o.secret))
  @OnlyFor('webhook')
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(256)
  secret?: string;

  @ApiPropertyOptional({ description: 'mastodon only: the instance, e.g. https://mastodon.social' })
  @ValidateIf((o: PublisherDto) => ForKind('mastodon')(o, o.instanceUrl))
  @OnlyFor('mastodon')
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  instanceUrl?: string;

  @ApiPropertyOptional({
    description: 'mastodon only: an access token with write:statuses and write:media (write-only)',
  })
  @ValidateIf((o: PublisherDto) => ForKind('mastodon')(o, o.accessToken))
  @OnlyFor('mastodon')
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  accessToken?: string;

  @ApiPropertyOptional({ description: 'bluesky only: the PDS, default https://bsky.social' })
  @ValidateIf((o: PublisherDto) => o.service !== undefined)
  @OnlyFor('bluesky')
  @IsUrl(HTTP_URL, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  service?: string;

  @ApiPropertyOptional({ description: 'bluesky only: the handle (or e-mail) of the account' })
  @ValidateIf((o: PublisherDto) => ForKind('bluesky')(o, o.identifier))
  @OnlyFor('bluesky')
  @IsString()
  @MinLength(3)
  @MaxLength(253)
  identifier?: string;

  @ApiPropertyOptional({
    description: 'bluesky only: an app password (Settings > App passwords; write-only)',
  })
  @ValidateIf((o: PublisherDto) => ForKind('bluesky')(o, o.appPassword))
  @OnlyFor('bluesky')
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  appPassword?: string;
}

export class CreateChannelDto {
  @ApiProperty({ example: 'Acme on X' }) @IsName() name!: string;

  @ApiProperty({ enum: NETWORKS })
  @IsIn(NETWORKS, { message: `must be one of ${NETWORKS.join(', ')}` })
  network!: Network;

  @ApiPropertyOptional({ example: '@acmecoffee' }) @IsOptional() @IsString() @MaxLength(100) handle?: string;

  @ApiProperty({ type: PublisherDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PublisherDto)
  publisher!: PublisherDto;
}
