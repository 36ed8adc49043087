import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { CalendarFeedEntity } from '../entities';

/** iCalendar feeds, found by the hash of their secret token. */
@Injectable()
export class CalendarFeedsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  create(
    feed: Pick<CalendarFeedEntity, 'workspaceId' | 'tokenHash' | 'createdBy'>,
  ): Promise<CalendarFeedEntity> {
    return this.db.manager.save(CalendarFeedEntity, this.db.manager.create(CalendarFeedEntity, feed));
  }

  findActiveByTokenHash(tokenHash: Buffer): Promise<CalendarFeedEntity | null> {
    return this.db.manager.findOneBy(CalendarFeedEntity, { tokenHash, revokedAt: IsNull() });
  }

  listActive(workspaceId: string): Promise<CalendarFeedEntity[]> {
    return this.db.manager.find(CalendarFeedEntity, {
      where: { workspaceId, revokedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
  }

  /** True when an active feed of the workspace was revoked. */
  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db.manager.update(
      CalendarFeedEntity,
      { workspaceId, id, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }
}
