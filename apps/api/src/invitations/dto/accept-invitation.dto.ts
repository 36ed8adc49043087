import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-strength';
import { IsName, IsOmittable } from '../../common/validators';

export class AcceptInvitationDto {
  @ApiPropertyOptional({
    example: 'Lee Park',
    description: 'how the others will see you; the invitation’s by default',
  })
  @IsOmittable()
  @IsName()
  name?: string;

  @ApiProperty({
    description:
      'a new password (10+ characters, hard to guess); or, for someone who has an account already, their password',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}
