import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: subscriptions to audit events, and a delivery log. A trigger
 * on audit_events writes one outbox row per subscribed event in the same
 * transaction as the change, so no event is lost between commit and delivery.
 */
export class OutboundWebhooks1764590400000 implements MigrationInterface {
  name = 'OutboundWebhooks1764590400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        events text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_webhook_subscriptions PRIMARY KEY (id),
        CONSTRAINT fk_webhook_subscriptions_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_subscriptions_workspace_id ON webhook_subscriptions (workspace_id) WHERE revoked_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial NOT NULL,
        subscription_id uuid NOT NULL,
        event_seq bigint NOT NULL,
        event text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
        CONSTRAINT fk_webhook_deliveries_subscription_id FOREIGN KEY (subscription_id) REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        CONSTRAINT uq_webhook_deliveries_subscription_id_event_seq UNIQUE (subscription_id, event_seq),
        CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed'))
      )`);

    await q.query(`
      CREATE FUNCTION audit_events_to_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox (topic, payload)
        SELECT 'webhook.deliver', jsonb_build_object('subscriptionId', s.id, 'workspaceId', NEW.workspace_id, 'seq', NEW.seq)
          FROM webhook_subscriptions s
         WHERE s.workspace_id = NEW.workspace_id AND s.revoked_at IS NULL AND NEW.action = ANY (s.events);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_to_webhooks AFTER INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_to_webhooks()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_events_to_webhooks ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_to_webhooks()`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
