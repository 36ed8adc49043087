import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validators';

export class OidcStartQueryDto {
  @ApiPropertyOptional({
    description:
      'a page of the frontend (an origin of CORS_ORIGINS) to send the browser back to, with the tokens in the fragment; without it the callback answers JSON',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  returnTo?: string;

  @ApiPropertyOptional({ description: 'the token of an invitation to accept with this sign-in' })
  @IsOmittable()
  @IsString()
  @MaxLength(128)
  invitation?: string;

  @ApiPropertyOptional({ description: 'passed to the identity provider as login_hint (an e-mail, say)' })
  @IsOmittable()
  @IsString()
  @MaxLength(254)
  loginHint?: string;
}
