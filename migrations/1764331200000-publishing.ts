import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publishing: an outbox written in the same transaction as the state change that
 * needs a job (so a crash between commit and enqueue loses nothing), the outcome
 * columns of a post, and a record of every attempt to publish it.
 */
export class Publishing1764331200000 implements MigrationInterface {
  name = 'Publishing1764331200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id bigserial NOT NULL,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_outbox PRIMARY KEY (id)
      )`);
    // Wake the relay at once instead of waiting for its next poll.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('countersign_outbox', NEW.topic);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_notify()`,
    );

    await q.query(`
      ALTER TABLE posts
        ADD COLUMN publishing_started_at timestamptz,
        ADD COLUMN published_at timestamptz,
        ADD COLUMN external_id text,
        ADD COLUMN external_url text,
        ADD COLUMN outcome jsonb`);
    // The reconciler: approved posts coming due, and publishes that stalled.
    await q.query(
      `CREATE INDEX ix_posts_due ON posts (scheduled_at) WHERE status IN ('approved', 'publishing')`,
    );

    await q.query(`
      CREATE TABLE publish_attempts (
        id bigserial NOT NULL,
        post_id uuid NOT NULL,
        version integer NOT NULL,
        attempt integer NOT NULL,
        outcome text NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_publish_attempts PRIMARY KEY (id),
        CONSTRAINT fk_publish_attempts_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
        CONSTRAINT ck_publish_attempts_outcome CHECK (outcome IN ('published', 'retry', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix_publish_attempts_post_id ON publish_attempts (post_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE publish_attempts`);
    await q.query(`DROP INDEX ix_posts_due`);
    await q.query(`
      ALTER TABLE posts
        DROP COLUMN outcome,
        DROP COLUMN external_url,
        DROP COLUMN external_id,
        DROP COLUMN published_at,
        DROP COLUMN publishing_started_at`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}
