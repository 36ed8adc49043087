import { parseInstant, type Actor } from '@app/domain';
import { AuditRepository, exportAuditEvents, type NamedAuditEvent, type Page } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditExportQueryDto, AuditQueryDto } from './dto/audit-query.dto';

const BEGINNING = new Date(0);
const END_OF_TIME = new Date(8.64e15);

/** The workspace's audit log: pages of it, and the whole range as NDJSON lines. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  list(actor: Actor, q: AuditQueryDto): Promise<Page<NamedAuditEvent>> {
    return this.audit.list({ workspaceId: actor.workspaceId, postId: q.postId }, q.limit, q.cursor);
  }

  /** Each event on its own line, its fields exactly as they were hashed. */
  async *exportLines(actor: Actor, q: AuditExportQueryDto): AsyncGenerator<string> {
    const from = (q.from && parseInstant(q.from)) || BEGINNING;
    const to = (q.to && parseInstant(q.to)) || END_OF_TIME;
    for await (const event of exportAuditEvents(this.db.manager, actor.workspaceId, from, to)) {
      yield `${JSON.stringify(event)}\n`;
    }
  }
}
