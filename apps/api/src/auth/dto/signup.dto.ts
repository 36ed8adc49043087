import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsEmailAddress, IsName, IsTimeZoneName } from '../../common/validators';
import { IsHardToGuess } from '../password-strength';

export const PASSWORD_MIN_LENGTH = 10;

export class SignupDto {
  @ApiProperty({ example: 'maya@brand.example' }) @IsEmailAddress() email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: 256 })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(256)
  @IsHardToGuess()
  password!: string;

  @ApiProperty({ example: 'Maya Lind' }) @IsName() name!: string;

  @ApiProperty({ example: 'Acme Coffee' }) @IsName() workspaceName!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone; default UTC' })
  @IsOptional()
  @IsTimeZoneName()
  timezone?: string;
}
