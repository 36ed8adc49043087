import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ChannelEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** Channels of a workspace. */
@Injectable()
export class ChannelsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findInWorkspace(
    workspaceId: string,
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<ChannelEntity | null> {
    return em.findOneBy(ChannelEntity, { workspaceId, id });
  }

  /** The channel with its publisher secret, share-locked: a pause cannot commit while we decide. */
  findForPublishing(workspaceId: string, id: string, em: EntityManager): Promise<ChannelEntity | null> {
    return em
      .createQueryBuilder(ChannelEntity, 'c')
      .addSelect('c.publisherSecret')
      .where('c.workspace_id = :workspaceId AND c.id = :id', { workspaceId, id })
      .setLock('pessimistic_read')
      .getOne();
  }

  create(channel: Partial<ChannelEntity>): Promise<ChannelEntity> {
    return this.db.manager.save(ChannelEntity, this.db.manager.create(ChannelEntity, channel));
  }

  /** Oldest first, cursor-paginated. */
  async list(workspaceId: string, limit: number, cursor?: string): Promise<Page<ChannelEntity>> {
    const qb = this.db.manager
      .createQueryBuilder(ChannelEntity, 'c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .orderBy("date_trunc('milliseconds', c.created_at)")
      .addOrderBy('c.id')
      .limit(limit + 1);
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      qb.andWhere("(date_trunc('milliseconds', c.created_at), c.id) > (:createdAt, :id)", { createdAt, id });
    }
    return toPage(await qb.getMany(), limit, (c) => [c.createdAt.toISOString(), c.id]);
  }
}
