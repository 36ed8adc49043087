import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

const CODE = /^(\d{6}|[A-Za-z0-9]{4}([- ]?[A-Za-z0-9]{4}){3})$/;
const CODE_MESSAGE = { message: 'must be a six-digit code or a recovery code (xxxx-xxxx-xxxx-xxxx)' };

export class TotpCodeDto {
  @ApiProperty({
    example: '492039',
    description: 'a current code of the authenticator app, or an unused recovery code',
  })
  @IsString()
  @Matches(CODE, CODE_MESSAGE)
  code!: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ example: '492039', description: 'a current code of the authenticator app' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the six-digit code the app shows' })
  code!: string;
}

export class LoginMfaDto extends TotpCodeDto {
  @ApiProperty({ description: 'mfaToken of the login answer' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  mfaToken!: string;
}
