import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsName, IsTimeZoneName } from '../../common/validators';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme Coffee' }) @IsName() name!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone; default UTC' })
  @IsOptional()
  @IsTimeZoneName()
  timezone?: string;
}
