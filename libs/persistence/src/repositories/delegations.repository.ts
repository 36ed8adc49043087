import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A member's stand-in for a window of time. */
export interface Delegation {
  id: string;
  workspaceId: string;
  userId: string;
  delegateUserId: string;
  startsAt: Date;
  endsAt: Date;
  note: string | null;
  createdByUserId: string | null;
  createdAt: Date;
}

const COLUMNS = `id, workspace_id AS "workspaceId", user_id AS "userId", delegate_user_id AS "delegateUserId",
  starts_at AS "startsAt", ends_at AS "endsAt", note, created_by_user_id AS "createdByUserId", created_at AS "createdAt"`;
/** Not ended early, and not over. */
const CURRENT = `ended_at IS NULL AND ends_at > now()`;
/** Current, and begun. */
const IN_FORCE = `${CURRENT} AND starts_at <= now()`;

/** Stand-in approvers: at most one current delegation per member and workspace. */
@Injectable()
export class DelegationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Ends the member's current delegation, if any, and starts `next`: the one ended, and the new one. */
  async replace(
    next: Pick<
      Delegation,
      'workspaceId' | 'userId' | 'delegateUserId' | 'startsAt' | 'endsAt' | 'note' | 'createdByUserId'
    >,
    em: EntityManager,
  ): Promise<{ ended: Delegation | null; started: Delegation }> {
    const ended = await this.end(next.workspaceId, next.userId, em);
    const [started] = await em.query<Delegation[]>(
      `INSERT INTO delegations (workspace_id, user_id, delegate_user_id, starts_at, ends_at, note, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        next.workspaceId,
        next.userId,
        next.delegateUserId,
        next.startsAt,
        next.endsAt,
        next.note,
        next.createdByUserId,
      ],
    );
    return { ended, started };
  }

  /** Ends the member's delegation that is not over yet; the one ended, or null. */
  async end(workspaceId: string, userId: string, em: EntityManager): Promise<Delegation | null> {
    const [rows] = await em.query<[Delegation[], number]>(
      `UPDATE delegations SET ended_at = now()
        WHERE workspace_id = $1 AND user_id = $2 AND ended_at IS NULL RETURNING ${COLUMNS}`,
      [workspaceId, userId],
    );
    return rows[0] ?? null;
  }

  /** Ends every delegation of or to `userId` (they left the workspace). */
  async endInvolving(workspaceId: string, userId: string, em: EntityManager): Promise<void> {
    await em.query(
      `UPDATE delegations SET ended_at = now()
        WHERE workspace_id = $1 AND (user_id = $2 OR delegate_user_id = $2) AND ended_at IS NULL`,
      [workspaceId, userId],
    );
  }

  /** The members' delegations not over yet (begun or still to come), by member. */
  async currentOf(
    workspaceId: string,
    userIds: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, Delegation>> {
    const rows = await em.query<Delegation[]>(
      `SELECT ${COLUMNS} FROM delegations WHERE workspace_id = $1 AND user_id = ANY($2::uuid[]) AND ${CURRENT}`,
      [workspaceId, userIds],
    );
    return new Map(rows.map((d) => [d.userId, d]));
  }

  /** The members' delegations in force now, by member. */
  async inForceOf(
    workspaceId: string,
    userIds: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, Delegation>> {
    const rows = await em.query<Delegation[]>(
      `SELECT ${COLUMNS} FROM delegations WHERE workspace_id = $1 AND user_id = ANY($2::uuid[]) AND ${IN_FORCE}`,
      [workspaceId, userIds],
    );
    return new Map(rows.map((d) => [d.userId, d]));
  }

  /** Whom `delegateUserId` stands in for now, oldest delegation first. */
  async standsInFor(
    workspaceId: string,
    delegateUserId: string,
    em: EntityManager = this.db.manager,
  ): Promise<string[]> {
    const rows = await em.query<Array<{ userId: string }>>(
      `SELECT user_id AS "userId" FROM delegations
        WHERE workspace_id = $1 AND delegate_user_id = $2 AND ${IN_FORCE} ORDER BY created_at, id`,
      [workspaceId, delegateUserId],
    );
    return rows.map((r) => r.userId);
  }
}
