import { ROLES, type Role } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsEmailAddress, IsName } from '../../common/validators';

const ROLE_MESSAGE = { message: `must be one of ${ROLES.join(', ')}` };

export class AddMemberDto {
  @ApiProperty({ example: 'client@brand.example' }) @IsEmailAddress() email!: string;
  @ApiPropertyOptional({ description: 'used when the person has no account yet' })
  @IsOptional()
  @IsName()
  name?: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, ROLE_MESSAGE) role!: Role;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, ROLE_MESSAGE) role!: Role;
}
