import { Capability, DomainError, type Actor } from '@app/domain';
import { Body, Controller, Headers, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { Returns } from '../common/views';
import { Problems } from '../openapi';
import { assertIdempotencyKey } from '../posts/idempotency-key';
import { IMPORT_COLUMNS } from './post-import';
import { ImportsService, MAX_IMPORT_ROWS } from './imports.service';

class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'check every row, make nothing (default false)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'all rows or none (default true); false makes the good rows and lists the bad',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  atomic?: 'true' | 'false';
}

class FieldErrorView {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

class ImportRowView {
  @ApiProperty({ description: 'the data row: 1 is the first row after the header' }) row!: number;
  @ApiProperty() ok!: boolean;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the draft made (none in a dry run)',
  })
  postId!: string | null;
  @ApiProperty({ type: [FieldErrorView], description: 'by column' }) errors!: FieldErrorView[];
}

class ImportResultView {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty() atomic!: boolean;
  @ApiProperty({ description: 'drafts made' }) created!: number;
  @ApiProperty({ description: 'rows refused' }) failed!: number;
  @ApiProperty({ type: [ImportRowView] }) rows!: ImportRowView[];
}

@ApiTags('posts')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/posts/import')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @Can(Capability.PostsWrite)
  @ApiOperation({
    summary: `Import drafts from CSV (columns ${IMPORT_COLUMNS.join(', ')}; at most ${MAX_IMPORT_ROWS} rows)`,
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example:
        'channelName,scheduledAt,text,link,mediaUrls,campaign\nAcme X,2027-03-01T09:30,Spring menu,,,Spring launch',
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'same key + same CSV: the same answer, nothing made twice',
  })
  @Problems(422)
  @Returns(ImportResultView, HttpStatus.CREATED)
  @Returns(ImportResultView, HttpStatus.OK)
  async import(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Query() query: ImportQueryDto,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportResultView> {
    if (typeof body !== 'string') {
      throw DomainError.invalid('body', 'must be CSV, sent as Content-Type: text/csv');
    }
    assertIdempotencyKey(idempotencyKey);
    const dryRun = query.dryRun === 'true';
    const { result, replayed } = await this.imports.import(actor, zone, body, {
      dryRun,
      atomic: query.atomic !== 'false',
      idempotencyKey,
    });
    if (replayed) void reply.header('idempotent-replayed', 'true');
    void reply.status(dryRun ? HttpStatus.OK : HttpStatus.CREATED);
    return result;
  }
}
