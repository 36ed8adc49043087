import { POST_STATUSES, type PostStatus } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { CommaList, IsCalendarDate, IsTimeZoneName } from '../../common/validators';

export class CalendarQueryDto {
  @ApiProperty({ example: '2026-03-01', description: 'first day shown (inclusive)' })
  @IsCalendarDate()
  from!: string;
  @ApiProperty({ example: '2026-03-31', description: 'last day shown (inclusive); at most 92 days in all' })
  @IsCalendarDate()
  to!: string;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    description: "days are this zone's; default the workspace's",
  })
  @IsOptional()
  @IsTimeZoneName()
  tz?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all') channelId?: string;

  @ApiPropertyOptional({
    enum: POST_STATUSES,
    isArray: true,
    description: 'statuses, repeated or comma-separated; default every status but canceled',
  })
  @IsOptional()
  @CommaList()
  @IsIn(POST_STATUSES, { each: true, message: `must be among ${POST_STATUSES.join(', ')}` })
  status?: PostStatus[];
}
