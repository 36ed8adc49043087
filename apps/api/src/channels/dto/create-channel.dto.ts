import { NETWORKS, type Network } from '@app/domain';
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

export const PUBLISHER_KINDS = ['webhook', 'log'] as const;

/** The field belongs to the webhook publisher; on any other kind it must be absent. */
const WebhookOnly = (): PropertyDecorator =>
  ValidateBy({
    name: 'webhookOnly',
    validator: {
      validate: (_value, args) => (args?.object as PublisherDto).kind === 'webhook',
      defaultMessage: () => 'is only for the webhook publisher',
    },
  });

/** `{kind:'webhook', url, secret}` or `{kind:'log'}`. */
export class PublisherDto {
  @ApiProperty({ enum: PUBLISHER_KINDS })
  @IsIn(PUBLISHER_KINDS, { message: `must be one of ${PUBLISHER_KINDS.join(', ')}` })
  kind!: (typeof PUBLISHER_KINDS)[number];

  @ApiPropertyOptional({ description: 'webhook only: where posts are POSTed' })
  @ValidateIf((o: PublisherDto) => o.kind === 'webhook' || o.url !== undefined)
  @WebhookOnly()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ description: 'webhook only: HMAC key for X-Countersign-Signature (write-only)' })
  @ValidateIf((o: PublisherDto) => o.kind === 'webhook' || o.secret !== undefined)
  @WebhookOnly()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(256)
  secret?: string;
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
