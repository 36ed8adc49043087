import type { MailDigest } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A review request held for a member's digest: the stage of a post version it asks about. */
export interface HeldReviewRequest {
  userId: string;
  workspaceId: string;
  postId: string;
  version: number;
  stageIndex: number;
}

/** A member with requests held in one workspace, and when their last digest there went out. */
export interface WaitingDigest {
  userId: string;
  email: string;
  mailDigest: MailDigest;
  workspaceId: string;
  timezone: string;
  /** YYYY-MM-DD in the workspace's zone */
  lastSentOn: string | null;
}

/** Review requests held for the daily digest, and the digests sent. */
@Injectable()
export class ReviewDigestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Holds requests; holding one twice (a retried job) keeps one. */
  async hold(items: readonly HeldReviewRequest[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `INSERT INTO review_digest_items (user_id, workspace_id, post_id, version, stage_index)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[])
       ON CONFLICT DO NOTHING`,
      [
        items.map((i) => i.userId),
        items.map((i) => i.workspaceId),
        items.map((i) => i.postId),
        items.map((i) => i.version),
        items.map((i) => i.stageIndex),
      ],
    );
  }

  async waiting(): Promise<WaitingDigest[]> {
    return this.db.query(
      `SELECT i.user_id AS "userId", u.email, u.mail_digest AS "mailDigest", i.workspace_id AS "workspaceId",
              w.timezone, to_char(d.last_sent_on, 'YYYY-MM-DD') AS "lastSentOn"
         FROM (SELECT DISTINCT user_id, workspace_id FROM review_digest_items) i
         JOIN users u ON u.id = i.user_id
         JOIN workspaces w ON w.id = i.workspace_id
         LEFT JOIN review_digests d ON d.user_id = i.user_id AND d.workspace_id = i.workspace_id`,
    );
  }

  /**
   * Claims the digest of `day` (unless one went out that day already, or `anyway`)
   * and takes the requests it holds, in `em`'s transaction. Two workers at once:
   * the second waits on the first's rows and finds nothing left to take.
   */
  async take(
    digest: { userId: string; workspaceId: string },
    day: string,
    anyway: boolean,
    em: EntityManager,
  ): Promise<Array<Pick<HeldReviewRequest, 'postId' | 'version' | 'stageIndex'>>> {
    const claimed = await em.query<unknown[]>(
      `INSERT INTO review_digests (user_id, workspace_id, last_sent_on) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, workspace_id) DO UPDATE SET last_sent_on = greatest(review_digests.last_sent_on, excluded.last_sent_on)
        WHERE $4 OR review_digests.last_sent_on < excluded.last_sent_on
       RETURNING 1`,
      [digest.userId, digest.workspaceId, day, anyway],
    );
    if (claimed.length === 0) return [];
    const [rows] = await em.query<[Array<{ postId: string; version: number; stageIndex: number }>, number]>(
      `DELETE FROM review_digest_items WHERE user_id = $1 AND workspace_id = $2
       RETURNING post_id AS "postId", version, stage_index AS "stageIndex"`,
      [digest.userId, digest.workspaceId],
    );
    return rows;
  }
}
