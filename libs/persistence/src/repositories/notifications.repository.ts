import {
  channelLabel,
  MAILED_ACTIONS,
  NOTIFICATIONS,
  whenLocal,
  type MailDigest,
  type NotificationFacts,
} from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** An audit event as the mail worker reads it: what happened, and to which post and stage. */
export interface NotifiedEvent {
  action: string;
  postId: string | null;
  /** for sign-offs and stage openings: the stage it touched */
  stage: number | null;
  signOffsReset: boolean;
}

/** A notification to send: the event, what it says, and to whom. */
export interface Notification {
  event: NotifiedEvent;
  data: NotificationFacts;
  recipients: Array<{ userId: string; email: string }>;
}

/** One message of one event to one person: the key under which its sending is claimed. */
export interface MailKey {
  workspaceId: string;
  seq: string;
  userId: string;
}

const told = (audience: 'author' | 'admins') =>
  MAILED_ACTIONS.filter((a) => (NOTIFICATIONS[a].to as readonly string[]).includes(audience));
const TO_AUTHOR = told('author');
const TO_ADMINS = told('admins');

const keyOf = (k: MailKey) => `${k.workspaceId}/${k.seq}/${k.userId}`;

/** Reads what a notified audit event says and who is told; records each message sent. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The event and its recipients (NOTIFICATIONS says who) in one round trip.
   */
  async load(workspaceId: string, seq: string): Promise<Notification | null> {
    const [event] = await this.db.query<
      Array<{
        action: string;
        post_id: string | null;
        stage: number | null;
        reset: boolean | null;
        workspace_name: string;
        timezone: string;
        channel_name: string | null;
        network: string | null;
        external_url: string | null;
        text: string | null;
        scheduled_at: Date | null;
        status: string | null;
        after: { comment?: string; reason?: string; error?: string; reasons?: unknown } | null;
        actor_name: string | null;
        recipients: Array<{ userId: string; email: string }>;
      }>
    >(
      `SELECT e.action, e.post_id, (e.after ->> 'stage')::int AS stage, (e.after ->> 'signOffsReset')::boolean AS reset,
              w.name AS workspace_name, w.timezone, c.name AS channel_name, c.network, p.external_url,
              p.text, p.scheduled_at, p.status, e.after, a.name AS actor_name,
              (SELECT coalesce(json_agg(json_build_object('userId', u.id, 'email', u.email)), '[]') FROM users u
                WHERE (e.action = ANY($3::text[]) AND u.id = coalesce(p.author_user_id, k.created_by))
                   OR (e.action = ANY($4::text[])
                       AND u.id IN (SELECT user_id FROM memberships
                                     WHERE workspace_id = e.workspace_id AND role IN ('owner', 'admin')))) AS recipients
         FROM audit_events e
         JOIN workspaces w ON w.id = e.workspace_id
         LEFT JOIN posts p ON p.id = e.post_id
         LEFT JOIN channels c ON c.id = p.channel_id
         LEFT JOIN api_keys k ON k.id = p.author_api_key_id
         LEFT JOIN users a ON e.actor_kind = 'user' AND a.id::text = e.actor_id
        WHERE e.workspace_id = $1 AND e.seq = $2`,
      [workspaceId, seq, TO_AUTHOR, TO_ADMINS],
    );
    if (!event) return null;
    const after = event.after ?? {};
    return {
      event: {
        action: event.action,
        postId: event.post_id,
        stage: event.stage,
        signOffsReset: event.reset === true,
      },
      recipients: event.recipients,
      data: {
        workspaceName: event.workspace_name,
        action: event.action,
        postText: event.text,
        channelName:
          event.channel_name && event.network
            ? channelLabel({ name: event.channel_name, network: event.network })
            : null,
        scheduledAt: event.scheduled_at ? whenLocal(new Date(event.scheduled_at), event.timezone) : null,
        postUrl: event.external_url,
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

  async people(
    userIds: string[],
  ): Promise<Array<{ userId: string; email: string; name: string; mailDigest: MailDigest }>> {
    if (userIds.length === 0) return [];
    return this.db.query(
      `SELECT id AS "userId", email, name, mail_digest AS "mailDigest" FROM users WHERE id = ANY($1::uuid[])`,
      [userIds],
    );
  }

  /**
   * Claims the right to send each message, in one statement: false for a message
   * claimed before (sent, or in flight), and for a repeat of a key in `keys`.
   */
  async claim(keys: readonly MailKey[]): Promise<boolean[]> {
    const rows = await this.db.query<
      Array<{ workspace_id: string; event_seq: string; recipient_user_id: string }>
    >(
      `INSERT INTO mail_messages (workspace_id, event_seq, recipient_user_id, status)
       SELECT w, s, u, 'sending' FROM unnest($1::uuid[], $2::bigint[], $3::uuid[]) AS t(w, s, u)
       ON CONFLICT DO NOTHING
       RETURNING workspace_id, event_seq, recipient_user_id`,
      [keys.map((k) => k.workspaceId), keys.map((k) => k.seq), keys.map((k) => k.userId)],
    );
    const claimed = new Set(
      rows.map((r) =>
        keyOf({ workspaceId: r.workspace_id, seq: String(r.event_seq), userId: r.recipient_user_id }),
      ),
    );
    return keys.map((k) => claimed.delete(keyOf(k)));
  }

  /** Marks messages sent, in one statement. */
  async sent(keys: readonly MailKey[]): Promise<void> {
    await this.db.query(
      `UPDATE mail_messages m SET status = 'sent', sent_at = now()
         FROM unnest($1::uuid[], $2::bigint[], $3::uuid[]) AS t(w, s, u)
        WHERE m.workspace_id = t.w AND m.event_seq = t.s AND m.recipient_user_id = t.u`,
      [keys.map((k) => k.workspaceId), keys.map((k) => k.seq), keys.map((k) => k.userId)],
    );
  }

  /** A send that failed outright: forget the claim so that the retry sends it. */
  async release({ workspaceId, seq, userId }: MailKey): Promise<void> {
    await this.db.query(
      `DELETE FROM mail_messages WHERE workspace_id = $1 AND event_seq = $2 AND recipient_user_id = $3 AND status = 'sending'`,
      [workspaceId, seq, userId],
    );
  }
}
