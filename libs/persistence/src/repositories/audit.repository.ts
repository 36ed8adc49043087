import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEventEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** What a service says happened; the database adds the sequence number and the hash chain. */
export type NewAuditEvent = Pick<AuditEventEntity, 'workspaceId' | 'actorKind' | 'actorId' | 'action'> &
  Partial<Pick<AuditEventEntity, 'postId' | 'version' | 'before' | 'after' | 'ip' | 'userAgent'>>;

/** The append-only audit log. There is no update or delete here, and the database refuses both. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Appends inside the caller's transaction, so the event commits with the change it records. */
  async append(event: NewAuditEvent, em: EntityManager): Promise<void> {
    await em.save(
      AuditEventEntity,
      em.create(AuditEventEntity, {
        postId: null,
        version: null,
        before: null,
        after: null,
        ip: null,
        userAgent: null,
        ...event,
      }),
    );
  }

  /** A workspace's events in order (optionally of one post), cursor-paginated by sequence number. */
  async list(
    filter: { workspaceId: string; postId?: string },
    limit: number,
    cursor?: string,
  ): Promise<Page<AuditEventEntity>> {
    const qb = this.db.manager
      .createQueryBuilder(AuditEventEntity, 'e')
      .where('e.workspace_id = :workspaceId', { workspaceId: filter.workspaceId })
      .orderBy('e.seq', 'ASC')
      .limit(limit + 1);
    if (filter.postId) qb.andWhere('e.post_id = :postId', { postId: filter.postId });
    if (cursor) {
      const [after] = decodeCursor(cursor, 1);
      qb.andWhere('e.seq > :after', { after });
    }
    return toPage(await qb.getMany(), limit, (e) => [e.seq]);
  }
}
