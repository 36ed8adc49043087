import { API_KEY_ROLES, type ApiKeyRole } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsName } from '../../common/validators';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Agency scheduler' }) @IsName() name!: string;
  @ApiProperty({ enum: API_KEY_ROLES })
  @IsIn(API_KEY_ROLES, { message: `must be one of ${API_KEY_ROLES.join(', ')}` })
  role!: ApiKeyRole;
}
