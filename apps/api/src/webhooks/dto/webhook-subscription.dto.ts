import { AUDIT_ACTIONS } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
} from 'class-validator';

export class WebhookSubscriptionDto {
  @ApiProperty({ example: 'https://tools.example/countersign' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(2048)
  url!: string;

  @ApiProperty({
    enum: AUDIT_ACTIONS,
    isArray: true,
    example: ['post.approved', 'post.published', 'workspace.paused'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AUDIT_ACTIONS.length)
  @IsIn(AUDIT_ACTIONS, { each: true, message: `must be among ${AUDIT_ACTIONS.join(', ')}` })
  events!: string[];

  @ApiProperty({ description: 'HMAC key for X-Countersign-Signature (write-only)' })
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(256)
  secret!: string;
}
