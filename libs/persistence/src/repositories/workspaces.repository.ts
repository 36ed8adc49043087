import type { Role } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MembershipEntity, UserEntity, WorkspaceEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** A member, or a person invited who has not accepted yet, as lists show them. */
export interface MemberRow {
  user: Pick<UserEntity, 'id' | 'email' | 'name'> & { canLogIn: boolean };
  role: Role;
  /** `invited`: not a member until they accept; no rule counts them */
  status: 'active' | 'invited';
  addedAt: Date;
  /** for the invited: when their link stops working */
  invitationExpiresAt: Date | null;
}

// Members and pending invitations, one row per person (nobody is both: both are written under the workspace lock).
const MEMBER_ROWS = `
  SELECT x.user_id, x.role, x.status, x.added_at, x.expires_at, u.email, u.name, u.password_hash IS NOT NULL AS can_log_in
    FROM (SELECT user_id, role, 'active' AS status, created_at AS added_at, NULL::timestamptz AS expires_at
            FROM memberships WHERE workspace_id = $1
          UNION ALL
          SELECT user_id, role, 'invited', created_at, expires_at
            FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL) x
    JOIN users u ON u.id = x.user_id`;

interface MemberRecord {
  user_id: string;
  role: Role;
  status: 'active' | 'invited';
  added_at: Date;
  expires_at: Date | null;
  email: string;
  name: string;
  can_log_in: boolean;
}

const memberRow = (r: MemberRecord): MemberRow => ({
  user: { id: r.user_id, email: r.email, name: r.name, canLogIn: r.can_log_in },
  role: r.role,
  status: r.status,
  addedAt: r.added_at,
  invitationExpiresAt: r.expires_at,
});

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

  /** People invited who have not accepted (no members yet), with the role they were invited to. */
  invited(
    workspaceId: string,
    em: EntityManager = this.db.manager,
  ): Promise<Array<{ userId: string; role: Role }>> {
    return em.query(
      `SELECT user_id AS "userId", role FROM invitations
        WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [workspaceId],
    );
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

  /** Members and people invited, ordered by user id, cursor-paginated. */
  async listMembers(workspaceId: string, limit: number, cursor?: string): Promise<Page<MemberRow>> {
    const [after] = cursor ? decodeCursor(cursor, 1) : [null];
    const rows = await this.db.query<MemberRecord[]>(
      `${MEMBER_ROWS} WHERE $2::uuid IS NULL OR x.user_id > $2::uuid ORDER BY x.user_id LIMIT $3`,
      [workspaceId, after, limit + 1],
    );
    return toPage(rows.map(memberRow), limit, (r) => [r.user.id]);
  }

  async findMember(workspaceId: string, userId: string): Promise<MemberRow | null> {
    const [row] = await this.db.query<MemberRecord[]>(`${MEMBER_ROWS} WHERE x.user_id = $2`, [
      workspaceId,
      userId,
    ]);
    return row ? memberRow(row) : null;
  }
}
