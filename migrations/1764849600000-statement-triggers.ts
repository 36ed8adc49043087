import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit actions that mail someone (see 1764763200000-review-links). */
const MAILED_ACTIONS = `'post.changes_requested', 'post.approved', 'post.published', 'post.blocked', 'post.failed',
  'post.expired', 'post.taken_down', 'workspace.paused', 'workspace.resumed', 'workspace.lockdown',
  'post.submitted', 'post.signed_off', 'post.edited'`;

/**
 * The triggers that turn audit entries into outbox messages (mail, webhook
 * deliveries) and wake the relay run once per statement, over the statement's new
 * rows, instead of once per row. The publisher writes a hundred audit entries in
 * one statement, under the audit chain's per-workspace locks: per row, these
 * triggers were a third of that statement's time (measured in a batch of 80:
 * 2.8 of 8 ms). Same messages, in the same order (by workspace, then seq); the
 * relay is woken once per topic and statement rather than once per message.
 */
export class StatementTriggers1764849600000 implements MigrationInterface {
  name = 'StatementTriggers1764849600000';

  async up(q: QueryRunner): Promise<void> {
    await this.dropTriggers(q);

    await q.query(`
      CREATE FUNCTION audit_events_to_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox (topic, payload)
        SELECT 'mail.notify', jsonb_build_object('workspaceId', n.workspace_id, 'seq', n.seq::text)
          FROM new_events n
         WHERE n.action IN (${MAILED_ACTIONS})
         ORDER BY n.workspace_id, n.seq;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_to_mail AFTER INSERT ON audit_events
        REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_to_mail()`);

    await q.query(`
      CREATE FUNCTION audit_events_to_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox (topic, payload)
        SELECT 'webhook.deliver', jsonb_build_object('subscriptionId', s.id, 'workspaceId', n.workspace_id, 'seq', n.seq)
          FROM new_events n
          JOIN webhook_subscriptions s ON s.workspace_id = n.workspace_id
         WHERE s.revoked_at IS NULL AND n.action = ANY (s.events)
         ORDER BY n.workspace_id, n.seq, s.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_to_webhooks AFTER INSERT ON audit_events
        REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_to_webhooks()`);

    // The payload is the topic: the relay lets mail wait during a burst of publishes.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('countersign_outbox', topic) FROM (SELECT DISTINCT topic FROM new_messages) t;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
        REFERENCING NEW TABLE AS new_messages
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.dropTriggers(q);
    // As 1764331200000-publishing, 1764590400000-outbound-webhooks and 1764763200000-review-links left them.

    await q.query(`
      CREATE FUNCTION audit_events_to_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action IN (${MAILED_ACTIONS}) THEN
          INSERT INTO outbox (topic, payload)
          VALUES ('mail.notify', jsonb_build_object('workspaceId', NEW.workspace_id, 'seq', NEW.seq::text));
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_events_to_mail AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_to_mail()`,
    );
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
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('countersign_outbox', NEW.topic);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_notify()`,
    );
  }

  /** The three triggers and their functions, in either shape. */
  private async dropTriggers(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_events_to_mail ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_to_webhooks ON audit_events`);
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION audit_events_to_mail()`);
    await q.query(`DROP FUNCTION audit_events_to_webhooks()`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}
