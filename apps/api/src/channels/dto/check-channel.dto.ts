import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validators';

export class CheckChannelDto {
  @ApiPropertyOptional({
    description:
      'bluesky only: a new app password for the same account, checked and kept (write-only); without it the stored credentials are checked',
  })
  @IsOmittable()
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  appPassword?: string;
}
