import { isUuid } from '@app/domain';
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

  /**
   * A workspace's events in order (optionally of one post), cursor-paginated by
   * sequence number, each with the name of its actor (the person, or the API key).
   */
  async list(
    filter: { workspaceId: string; postId?: string },
    limit: number,
    cursor?: string,
  ): Promise<Page<NamedAuditEvent>> {
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
    const page = toPage(await qb.getMany(), limit, (e) => [e.seq]);
    const names = await this.actorNames(page.items);
    return {
      ...page,
      items: page.items.map((e) =>
        Object.assign(e, { actorName: names.get(`${e.actorKind}:${e.actorId}`) ?? null }),
      ),
    };
  }

  /** `kind:id` → name of the people and keys that acted in `events`, in one query. */
  private async actorNames(events: readonly AuditEventEntity[]): Promise<Map<string, string>> {
    const idsOf = (kind: string) =>
      [...new Set(events.filter((e) => e.actorKind === kind && e.actorId).map((e) => e.actorId))].filter(
        (id) => isUuid(id ?? ''),
      );
    const [users, keys] = [idsOf('user'), idsOf('api-key')];
    if (users.length + keys.length === 0) return new Map();
    const rows = await this.db.query<Array<{ key: string; name: string }>>(
      `SELECT 'user:' || id AS key, name FROM users WHERE id = ANY($1::uuid[])
        UNION ALL SELECT 'api-key:' || id, name FROM api_keys WHERE id = ANY($2::uuid[])`,
      [users, keys],
    );
    return new Map(rows.map((r) => [r.key, r.name]));
  }
}

/** An audit event with its actor's name (null for the system, or one since deleted). */
export type NamedAuditEvent = AuditEventEntity & { actorName: string | null };
