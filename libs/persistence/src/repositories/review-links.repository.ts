import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A review link as stored: everything but the token, of which only the hash is kept. */
export interface ReviewLink {
  id: string;
  workspaceId: string;
  postId: string;
  version: number;
  stageIndex: number;
  approverUserId: string;
  /** the member the approver is asked to stand in for, when it is for one */
  onBehalfOfUserId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

const COLUMNS = `id, workspace_id AS "workspaceId", post_id AS "postId", version, stage_index AS "stageIndex",
  approver_user_id AS "approverUserId", on_behalf_of_user_id AS "onBehalfOfUserId", expires_at AS "expiresAt", used_at AS "usedAt"`;

/** Review links, found by the SHA-256 of their token. */
@Injectable()
export class ReviewLinksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(link: Omit<ReviewLink, 'id' | 'usedAt'> & { tokenHash: Buffer }): Promise<void> {
    await this.db.query(
      `INSERT INTO review_links (token_hash, workspace_id, post_id, version, stage_index, approver_user_id,
                                 on_behalf_of_user_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        link.tokenHash,
        link.workspaceId,
        link.postId,
        link.version,
        link.stageIndex,
        link.approverUserId,
        link.onBehalfOfUserId,
        link.expiresAt,
      ],
    );
  }

  async findByHash(tokenHash: Buffer): Promise<ReviewLink | null> {
    const [row] = await this.db.query<ReviewLink[]>(
      `SELECT ${COLUMNS} FROM review_links WHERE token_hash = $1`,
      [tokenHash],
    );
    return row ?? null;
  }

  /** Records reminders about to be sent; how many were new (0: someone sent them already). */
  async claimReminders(
    post: { id: string; version: number },
    stageIndex: number,
    leadsMinutes: readonly number[],
    kind: 'remind' | 'escalate',
  ): Promise<number> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO review_reminders (post_id, version, stage_index, lead_minutes, kind)
       SELECT $1, $2, $3, lead, $5 FROM unnest($4::int[]) lead
       ON CONFLICT DO NOTHING RETURNING lead_minutes`,
      [post.id, post.version, stageIndex, leadsMinutes, kind],
    );
    return rows.length;
  }

  /** Marks the link used; false when it already was (two submits racing: one wins). */
  async use(id: string, em: EntityManager): Promise<boolean> {
    const [, affected] = await em.query<[unknown, number]>(
      `UPDATE review_links SET used_at = now() WHERE id = $1 AND used_at IS NULL`,
      [id],
    );
    return affected > 0;
  }
}
