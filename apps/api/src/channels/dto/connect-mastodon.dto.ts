import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUrl, IsUUID, MaxLength } from 'class-validator';
import { IsName, IsOmittable } from '../../common/validators';

export class ConnectMastodonDto {
  @ApiProperty({ example: 'https://mastodon.social', description: 'the instance the account is on' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(2048)
  instanceUrl!: string;

  @ApiProperty({ example: 'Acme on Mastodon' }) @IsName() name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'connect this Mastodon channel again (the same account) instead of making a new one',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'must be a UUID' })
  channelId?: string;
}

export class AuthorizeUrlView {
  @ApiProperty({
    description: "the instance's page where the person says yes; it sends them back to the callback",
  })
  authorizeUrl!: string;
}
