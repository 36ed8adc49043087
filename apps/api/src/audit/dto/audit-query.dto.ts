import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { IsInstant } from '../../common/validators';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all') postId?: string;
}

export class AuditExportQueryDto {
  @ApiPropertyOptional({ description: 'events at or after this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'events before this instant' })
  @IsOptional()
  @IsInstant()
  to?: string;
}
