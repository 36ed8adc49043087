import type { NotificationFacts } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A notification to send: what it says, and to whom. */
export interface Notification {
  data: NotificationFacts;
  recipients: Array<{ userId: string; email: string }>;
}

const TO_ADMINS_TOO = ['post.blocked', 'post.failed', 'post.taken_down'];

/** Reads what a notified audit event says and who is told; records each message sent. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Post events go to the post's author (for an API key: the person who made the
   * key); blocked, failed and taken-down posts also to the owners and admins;
   * workspace events to the owners and admins.
   */
  async load(workspaceId: string, seq: string): Promise<Notification | null> {
    const [event] = await this.db.query<
      Array<{
        action: string;
        workspace_name: string;
        text: string | null;
        scheduled_at: Date | null;
        status: string | null;
        after: { comment?: string; reason?: string; error?: string; reasons?: unknown } | null;
        actor_name: string | null;
        author_id: string | null;
      }>
    >(
      `SELECT e.action, w.name AS workspace_name, p.text, p.scheduled_at, p.status, e.after, a.name AS actor_name,
              coalesce(p.author_user_id, k.created_by) AS author_id
         FROM audit_events e
         JOIN workspaces w ON w.id = e.workspace_id
         LEFT JOIN posts p ON p.id = e.post_id
         LEFT JOIN api_keys k ON k.id = p.author_api_key_id
         LEFT JOIN users a ON e.actor_kind = 'user' AND a.id::text = e.actor_id
        WHERE e.workspace_id = $1 AND e.seq = $2`,
      [workspaceId, seq],
    );
    if (!event) return null;
    const toAdmins = event.action.startsWith('workspace.') || TO_ADMINS_TOO.includes(event.action);
    const toAuthor = event.action.startsWith('post.');
    const recipients = await this.db.query<Array<{ userId: string; email: string }>>(
      `SELECT DISTINCT u.id AS "userId", u.email FROM users u
        WHERE ($2 AND u.id = $3)
           OR ($4 AND u.id IN (SELECT user_id FROM memberships WHERE workspace_id = $1 AND role IN ('owner', 'admin')))`,
      [workspaceId, toAuthor, event.author_id, toAdmins],
    );
    const after = event.after ?? {};
    return {
      recipients,
      data: {
        workspaceName: event.workspace_name,
        action: event.action,
        postText: event.text,
        scheduledAt: event.scheduled_at ? new Date(event.scheduled_at).toISOString() : null,
        status: event.status,
        detail:
          after.comment ??
          after.reason ??
          after.error ??
          (after.reasons ? `Reasons: ${JSON.stringify(after.reasons)}` : null),
        actorName: event.actor_name,
      },
    };
  }

  /** The post an audit event is about, and the stage it touched (for stage openings). */
  async eventOf(
    workspaceId: string,
    seq: string,
  ): Promise<{ action: string; postId: string | null; stage: number | null; signOffsReset: boolean } | null> {
    const [row] = await this.db.query<
      Array<{ action: string; post_id: string | null; stage: number | null; reset: boolean | null }>
    >(
      `SELECT action, post_id, (after ->> 'stage')::int AS stage, (after ->> 'signOffsReset')::boolean AS reset
         FROM audit_events WHERE workspace_id = $1 AND seq = $2`,
      [workspaceId, seq],
    );
    return row
      ? { action: row.action, postId: row.post_id, stage: row.stage, signOffsReset: row.reset === true }
      : null;
  }

  async people(userIds: string[]): Promise<Array<{ userId: string; email: string }>> {
    if (userIds.length === 0) return [];
    return this.db.query(`SELECT id AS "userId", email FROM users WHERE id = ANY($1::uuid[])`, [userIds]);
  }

  /** Claims the right to mail `userId` about this event; false when it was claimed before (sent, or in flight). */
  async claim(workspaceId: string, seq: string, userId: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO mail_messages (workspace_id, event_seq, recipient_user_id, status) VALUES ($1, $2, $3, 'sending')
       ON CONFLICT DO NOTHING RETURNING id`,
      [workspaceId, seq, userId],
    );
    return rows.length > 0;
  }

  async sent(workspaceId: string, seq: string, userId: string): Promise<void> {
    await this.db.query(
      `UPDATE mail_messages SET status = 'sent', sent_at = now() WHERE workspace_id = $1 AND event_seq = $2 AND recipient_user_id = $3`,
      [workspaceId, seq, userId],
    );
  }

  /** A send that failed outright: forget the claim so that the retry sends it. */
  async release(workspaceId: string, seq: string, userId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM mail_messages WHERE workspace_id = $1 AND event_seq = $2 AND recipient_user_id = $3 AND status = 'sending'`,
      [workspaceId, seq, userId],
    );
  }
}
