import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsEmailAddress, IsName, IsTimeZoneName } from '../../common/validators';
import { IsNewPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-strength';

export class SignupDto {
  @ApiProperty({ example: 'maya@brand.example' }) @IsEmailAddress() email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsNewPassword()
  password!: string;

  @ApiProperty({ example: 'Maya Lind' }) @IsName() name!: string;

  @ApiProperty({ example: 'Acme Coffee' }) @IsName() workspaceName!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone; default UTC' })
  @IsOptional()
  @IsTimeZoneName()
  timezone?: string;
}
