import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail notifications: a trigger on audit_events writes an outbox row for the
 * actions people are told about (in the transaction of the change), and every
 * message sent is recorded once per event and recipient, so a retry never mails
 * anyone twice.
 */
export class Notifications1764676800000 implements MigrationInterface {
  name = 'Notifications1764676800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_messages (
        id bigserial NOT NULL,
        workspace_id uuid NOT NULL,
        event_seq bigint NOT NULL,
        recipient_user_id uuid NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT pk_mail_messages PRIMARY KEY (id),
        CONSTRAINT uq_mail_messages_event_recipient UNIQUE (workspace_id, event_seq, recipient_user_id),
        CONSTRAINT ck_mail_messages_status CHECK (status IN ('sending', 'sent'))
      )`);
    await q.query(`
      CREATE FUNCTION audit_events_to_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action IN ('post.changes_requested', 'post.approved', 'post.published', 'post.blocked', 'post.failed',
                          'post.expired', 'post.taken_down', 'workspace.paused', 'workspace.resumed', 'workspace.lockdown') THEN
          INSERT INTO outbox (topic, payload)
          VALUES ('mail.notify', jsonb_build_object('workspaceId', NEW.workspace_id, 'seq', NEW.seq::text));
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_events_to_mail AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_to_mail()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_events_to_mail ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_to_mail()`);
    await q.query(`DROP TABLE mail_messages`);
  }
}
