import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface WebhookSubscription {
  id: string;
  workspaceId: string;
  url: string;
  events: string[];
  createdAt: Date;
}

export interface WebhookDelivery {
  eventSeq: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** What a delivery job sends: the subscription, and the audit event it subscribed to. */
export interface PendingDelivery {
  url: string;
  secret: string;
  active: boolean;
  event: {
    seq: string;
    action: string;
    postId: string | null;
    version: number | null;
    actorKind: string;
    actorId: string | null;
    before: object | null;
    after: object | null;
    at: Date;
    hash: string;
  };
}

const SUBSCRIPTION_COLUMNS = `id, workspace_id AS "workspaceId", url, events, created_at AS "createdAt"`;

/** Outbound webhook subscriptions and their delivery log. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    workspaceId: string,
    url: string,
    secret: string,
    events: string[],
  ): Promise<WebhookSubscription> {
    const [row] = await this.db.query<WebhookSubscription[]>(
      `INSERT INTO webhook_subscriptions (workspace_id, url, secret, events) VALUES ($1, $2, $3, $4) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [workspaceId, url, secret, events],
    );
    return row;
  }

  list(workspaceId: string): Promise<WebhookSubscription[]> {
    return this.db.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE workspace_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    );
  }

  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const [, affected] = await this.db.query<[unknown, number]>(
      `UPDATE webhook_subscriptions SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [workspaceId, id],
    );
    return affected > 0;
  }

  async exists(workspaceId: string, id: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `SELECT 1 FROM webhook_subscriptions WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return rows.length > 0;
  }

  deliveries(subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.db.query(
      `SELECT event_seq::text AS "eventSeq", event, status, attempts, last_status_code AS "lastStatusCode",
              last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt"
         FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY event_seq DESC LIMIT $2`,
      [subscriptionId, limit],
    );
  }

  async pending(subscriptionId: string, workspaceId: string, seq: string): Promise<PendingDelivery | null> {
    const [row] = await this.db.query<Array<PendingDelivery & { revoked: boolean }>>(
      `SELECT s.url, s.secret, s.revoked_at IS NULL AS active,
              json_build_object('seq', e.seq::text, 'action', e.action, 'postId', e.post_id, 'version', e.version,
                'actorKind', e.actor_kind, 'actorId', e.actor_id, 'before', e.before, 'after', e.after,
                'at', e.created_at, 'hash', e.hash) AS event
         FROM webhook_subscriptions s
         JOIN audit_events e ON e.workspace_id = s.workspace_id AND e.seq = $3
        WHERE s.id = $1 AND s.workspace_id = $2`,
      [subscriptionId, workspaceId, seq],
    );
    return row ? { ...row, event: { ...row.event, at: new Date(row.event.at) } } : null;
  }

  /** Records one try; the last one decides the status. */
  async record(
    subscriptionId: string,
    seq: string,
    event: string,
    outcome: { status: 'pending' | 'delivered' | 'failed'; statusCode: number | null; error: string | null },
    em: EntityManager = this.db.manager,
  ): Promise<void> {
    await em.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_seq, event, status, attempts, last_status_code, last_error, delivered_at)
       VALUES ($1, $2, $3, $4, 1, $5, $6, CASE WHEN $4 = 'delivered' THEN now() END)
       ON CONFLICT (subscription_id, event_seq) DO UPDATE SET
         status = EXCLUDED.status, attempts = webhook_deliveries.attempts + 1, last_status_code = EXCLUDED.last_status_code,
         last_error = EXCLUDED.last_error, delivered_at = EXCLUDED.delivered_at`,
      [subscriptionId, seq, event, outcome.status, outcome.statusCode, outcome.error],
    );
  }
}
