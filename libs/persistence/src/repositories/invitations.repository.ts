import type { Role } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { looksLikeSecretToken, newSecretToken, secretTokenHash } from '../secret-tokens';

/** An invitation as stored (its token only as a hash). */
export interface Invitation {
  id: string;
  workspaceId: string;
  userId: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id, workspace_id AS "workspaceId", user_id AS "userId", role, invited_by AS "invitedBy",
  expires_at AS "expiresAt", accepted_at AS "acceptedAt", revoked_at AS "revokedAt"`;
const PENDING = `accepted_at IS NULL AND revoked_at IS NULL`;

/** Invitations to join a workspace, one pending per person and workspace. */
@Injectable()
export class InvitationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    invitation: Pick<Invitation, 'workspaceId' | 'userId' | 'role' | 'invitedBy'>,
    ttlMs: number,
    em: EntityManager,
  ): Promise<Invitation> {
    const [row] = await em.query<Invitation[]>(
      `INSERT INTO invitations (workspace_id, user_id, role, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond') RETURNING ${COLUMNS}`,
      [invitation.workspaceId, invitation.userId, invitation.role, invitation.invitedBy, ttlMs],
    );
    return row;
  }

  /** The pending invitation of `userId` to the workspace (expired or not). */
  async findPending(
    workspaceId: string,
    userId: string,
    em: EntityManager = this.db.manager,
  ): Promise<Invitation | null> {
    const [row] = await em.query<Invitation[]>(
      `SELECT ${COLUMNS} FROM invitations WHERE workspace_id = $1 AND user_id = $2 AND ${PENDING}`,
      [workspaceId, userId],
    );
    return row ?? null;
  }

  /** Revokes the pending invitation; the one revoked, or null when there was none. */
  async revokePending(workspaceId: string, userId: string, em: EntityManager): Promise<Invitation | null> {
    const [rows] = await em.query<[Invitation[], number]>(
      `UPDATE invitations SET revoked_at = now() WHERE workspace_id = $1 AND user_id = $2 AND ${PENDING}
       RETURNING ${COLUMNS}`,
      [workspaceId, userId],
    );
    return rows[0] ?? null;
  }

  async setRole(id: string, role: Role, em: EntityManager): Promise<void> {
    await em.query(`UPDATE invitations SET role = $2 WHERE id = $1`, [id, role]);
  }

  /**
   * A new link token for a pending, unexpired invitation (the mail being written);
   * null when it has been accepted, revoked or has expired since. A link sent before
   * for it stops working.
   */
  async newToken(id: string): Promise<string | null> {
    const { token, hash } = newSecretToken();
    const [, affected] = await this.db.query<[unknown, number]>(
      `UPDATE invitations SET token_hash = $2 WHERE id = $1 AND ${PENDING} AND expires_at > now()`,
      [id, hash],
    );
    return affected > 0 ? token : null;
  }

  async findByToken(token: string, em: EntityManager = this.db.manager): Promise<Invitation | null> {
    if (!looksLikeSecretToken(token)) return null;
    const [row] = await em.query<Invitation[]>(`SELECT ${COLUMNS} FROM invitations WHERE token_hash = $1`, [
      secretTokenHash(token),
    ]);
    return row ?? null;
  }

  /** Accepts it, once and in time: false when it was accepted, revoked or has expired meanwhile. */
  async accept(id: string, em: EntityManager): Promise<boolean> {
    const [, affected] = await em.query<[unknown, number]>(
      `UPDATE invitations SET accepted_at = now() WHERE id = $1 AND ${PENDING} AND expires_at > now()`,
      [id],
    );
    return affected > 0;
  }

  async findById(id: string): Promise<Invitation | null> {
    const [row] = await this.db.query<Invitation[]>(`SELECT ${COLUMNS} FROM invitations WHERE id = $1`, [id]);
    return row ?? null;
  }
}
