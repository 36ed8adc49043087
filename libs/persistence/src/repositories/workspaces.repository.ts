import type { Role } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MembershipEntity, UserEntity, WorkspaceEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** A membership with the member's user record, as lists show it. */
export interface MemberRow {
  membership: MembershipEntity;
  user: UserEntity;
}

/** Workspaces and their memberships (one aggregate: a membership never outlives its workspace). */
@Injectable()
export class WorkspacesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: string, em: EntityManager = this.db.manager): Promise<WorkspaceEntity | null> {
    return em.findOneBy(WorkspaceEntity, { id });
  }

  /**
   * Locks the workspace row: membership changes serialise on it (the last-owner
   * rule), and wait for gates deciding now. FOR NO KEY UPDATE, so that foreign-key
   * checks of rows written meanwhile (audit entries) do not wait on it.
   */
  async lockById(id: string, em: EntityManager): Promise<WorkspaceEntity | null> {
    return em.findOne(WorkspaceEntity, { where: { id }, lock: { mode: 'for_no_key_update' } });
  }

  /** The workspace share-locked (FOR SHARE): the gate sees a pause that committed before it. */
  create(workspace: Pick<WorkspaceEntity, 'name' | 'timezone'>, em: EntityManager): Promise<WorkspaceEntity> {
    return em.save(WorkspaceEntity, em.create(WorkspaceEntity, workspace));
  }

  findMembership(
    workspaceId: string,
    userId: string,
    em: EntityManager = this.db.manager,
  ): Promise<MembershipEntity | null> {
    return em.findOneBy(MembershipEntity, { workspaceId, userId });
  }

  addMembership(
    workspaceId: string,
    userId: string,
    role: Role,
    em: EntityManager,
  ): Promise<MembershipEntity> {
    return em.save(MembershipEntity, em.create(MembershipEntity, { workspaceId, userId, role }));
  }

  async setRole(workspaceId: string, userId: string, role: Role, em: EntityManager): Promise<void> {
    await em.update(MembershipEntity, { workspaceId, userId }, { role });
  }

  async removeMembership(workspaceId: string, userId: string, em: EntityManager): Promise<void> {
    await em.delete(MembershipEntity, { workspaceId, userId });
  }

  /** Everyone in the workspace with their role now (what eligibility is checked against). */
  async members(
    workspaceId: string,
    em: EntityManager = this.db.manager,
  ): Promise<Array<{ userId: string; role: Role }>> {
    const rows = await em.find(MembershipEntity, {
      select: { userId: true, role: true },
      where: { workspaceId },
    });
    return rows.map((m) => ({ userId: m.userId, role: m.role }));
  }

  countOwners(workspaceId: string, em: EntityManager): Promise<number> {
    return em.countBy(MembershipEntity, { workspaceId, role: 'owner' });
  }

  /** The caller's workspaces with their role in each, for GET /v1/me. */
  async membershipsOfUser(userId: string): Promise<Array<{ workspace: WorkspaceEntity; role: Role }>> {
    const rows = await this.db.manager
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoinAndMapOne('m.workspace', WorkspaceEntity, 'w', 'w.id = m.workspace_id')
      .where('m.user_id = :userId', { userId })
      .orderBy('w.name')
      .addOrderBy('w.id')
      .getMany();
    return rows.map((m) => ({
      workspace: (m as MembershipEntity & { workspace: WorkspaceEntity }).workspace,
      role: m.role,
    }));
  }

  /** Members ordered by user id (the primary key's second column), cursor-paginated. */
  async listMembers(workspaceId: string, limit: number, cursor?: string): Promise<Page<MemberRow>> {
    const qb = this.db.manager
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoinAndMapOne('m.user', UserEntity, 'u', 'u.id = m.user_id')
      .where('m.workspace_id = :workspaceId', { workspaceId })
      .orderBy('m.user_id')
      .limit(limit + 1);
    if (cursor) {
      const [after] = decodeCursor(cursor, 1);
      qb.andWhere('m.user_id > :after', { after });
    }
    const rows = (await qb.getMany()).map((m) => ({
      membership: m,
      user: (m as MembershipEntity & { user: UserEntity }).user,
    }));
    return toPage(rows, limit, (r) => [r.membership.userId]);
  }

  async findMember(workspaceId: string, userId: string): Promise<MemberRow | null> {
    const membership = await this.findMembership(workspaceId, userId);
    if (!membership) return null;
    const user = await this.db.manager.findOneByOrFail(UserEntity, { id: userId });
    return { membership, user };
  }
}
