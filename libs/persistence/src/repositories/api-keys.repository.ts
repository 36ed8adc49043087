import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { ApiKeyEntity, WorkspaceEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** API keys: found by the hash of their secret, listed per workspace. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * An active (not revoked) key by the SHA-256 of its secret, with its workspace's
   * time zone. A key acts for its creator, so one whose creator is no longer a member
   * is refused here too, whatever revoking it at the removal did or did not do.
   */
  /**
   * An active key whose creator is still a member, with its workspace's zone, and
   * whether the workspace asks the creator's role for a second factor they lack.
   */
  async findActiveBySecretHash(
    secretHash: Buffer,
  ): Promise<{ key: ApiKeyEntity; timezone: string; creatorLacksSecondFactor: boolean } | null> {
    const { entities, raw } = await this.db.manager
      .createQueryBuilder(ApiKeyEntity, 'k')
      .innerJoin(WorkspaceEntity, 'w', 'w.id = k.workspace_id')
      .innerJoin('memberships', 'm', 'm.workspace_id = k.workspace_id AND m.user_id = k.created_by')
      .innerJoin('users', 'u', 'u.id = k.created_by')
      .addSelect('w.timezone AS workspace_timezone')
      .addSelect('(m.role = ANY(w.require_mfa_for) AND u.totp_enabled_at IS NULL) AS lacks_second_factor')
      .where('k.secret_hash = :secretHash AND k.revoked_at IS NULL', { secretHash })
      .getRawAndEntities<{ workspace_timezone: string; lacks_second_factor: boolean }>();
    return entities[0]
      ? {
          key: entities[0],
          timezone: raw[0].workspace_timezone,
          creatorLacksSecondFactor: raw[0].lacks_second_factor,
        }
      : null;
  }

  findInWorkspace(workspaceId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.db.manager.findOneBy(ApiKeyEntity, { workspaceId, id });
  }

  create(
    key: Pick<ApiKeyEntity, 'workspaceId' | 'name' | 'role' | 'prefix' | 'secretHash' | 'createdBy'>,
    em: EntityManager = this.db.manager,
  ): Promise<ApiKeyEntity> {
    return em.save(ApiKeyEntity, em.create(ApiKeyEntity, key));
  }

  /** Marks the key revoked; true when it was active. */
  async revoke(workspaceId: string, id: string, em: EntityManager = this.db.manager): Promise<boolean> {
    const result = await em.update(
      ApiKeyEntity,
      { workspaceId, id, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Revokes the active keys `userId` created in the workspace; returns them. */
  async revokeCreatedBy(workspaceId: string, userId: string, em: EntityManager): Promise<ApiKeyEntity[]> {
    const keys = await em.find(ApiKeyEntity, {
      where: { workspaceId, createdBy: userId, revokedAt: IsNull() },
    });
    if (keys.length > 0) {
      await em.update(ApiKeyEntity, { id: In(keys.map((k) => k.id)) }, { revokedAt: () => 'now()' });
    }
    return keys;
  }

  /** Keys of a workspace, newest first, cursor-paginated; revoked ones included (marked). */
  async list(workspaceId: string, limit: number, cursor?: string): Promise<Page<ApiKeyEntity>> {
    const qb = this.db.manager
      .createQueryBuilder(ApiKeyEntity, 'k')
      .where('k.workspace_id = :workspaceId', { workspaceId })
      // JS dates carry milliseconds, Postgres microseconds: compare at the cursor's precision.
      .orderBy("date_trunc('milliseconds', k.created_at)", 'DESC')
      .addOrderBy('k.id', 'DESC')
      .limit(limit + 1);
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      qb.andWhere("(date_trunc('milliseconds', k.created_at), k.id) < (:createdAt, :id)", { createdAt, id });
    }
    return toPage(await qb.getMany(), limit, (k) => [k.createdAt.toISOString(), k.id]);
  }
}
