import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's own security log: sign-ins (and how), sessions ended, a refresh token
 * reused, password and second-factor changes; append-only, read at
 * GET /v1/me/security-events. Workspace actions stay in each workspace's audit log.
 */
export class AccountEvents1765454400000 implements MigrationInterface {
  name = 'AccountEvents1765454400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_events (
        id bigserial NOT NULL,
        user_id uuid NOT NULL,
        action text NOT NULL,
        ip text,
        user_agent text,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_account_events PRIMARY KEY (id),
        CONSTRAINT fk_account_events_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_account_events_user_id_id ON account_events (user_id, id)`);
    await q.query(`
      CREATE FUNCTION account_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'account_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER account_events_append_only BEFORE UPDATE ON account_events
      FOR EACH ROW EXECUTE FUNCTION account_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_events`);
    await q.query(`DROP FUNCTION account_events_append_only()`);
  }
}
