import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LOGIN_ROLES, type LoginRole } from '@app/domain';
import { ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { IsName, IsOmittable, IsTimeZoneName } from '../../common/validators';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme Coffee' }) @IsName() name!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone; default UTC' })
  @IsOptional()
  @IsTimeZoneName()
  timezone?: string;
}

/** Any of a workspace's settings; those left out stay as they are. */
export class UpdateWorkspaceDto {
  @ApiPropertyOptional({ example: 'Acme Coffee' }) @IsOmittable() @IsName() name?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsOmittable()
  @IsTimeZoneName()
  timezone?: string;

  @ApiPropertyOptional({
    enum: LOGIN_ROLES,
    isArray: true,
    example: ['owner', 'admin'],
    description:
      'owners only: members with these roles must sign in with a second factor to do anything in this workspace (403 mfa_required until they do); [] turns it off',
  })
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(LOGIN_ROLES, { each: true, message: `each must be one of ${LOGIN_ROLES.join(', ')}` })
  requireMfaFor?: LoginRole[];
}
