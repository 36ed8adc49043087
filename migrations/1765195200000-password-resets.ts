import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password resets: a single-use link valid for an hour, only its SHA-256 kept. The
 * request itself is an outbox message (`mail.account`), so that answering it costs
 * the same whether the address has an account or not.
 */
export class PasswordResets1765195200000 implements MigrationInterface {
  name = 'PasswordResets1765195200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_resets (
        token_hash bytea NOT NULL,
        user_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_password_resets PRIMARY KEY (token_hash),
        CONSTRAINT fk_password_resets_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_password_resets_user_id ON password_resets (user_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_resets`);
  }
}
