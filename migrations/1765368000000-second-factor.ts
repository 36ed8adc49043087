import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor sign-in (TOTP): the secret sealed with CREDENTIALS_KEY (a pending one
 * until the first code confirms it), the last time step a code was accepted for
 * (a code works once), ten single-use recovery codes kept as SHA-256, and the roles
 * a workspace asks a second factor of.
 */
export class SecondFactor1765368000000 implements MigrationInterface {
  name = 'SecondFactor1765368000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_pending_secret text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint,
        ADD CONSTRAINT ck_users_totp_enabled CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL))`);
    await q.query(`
      CREATE TABLE recovery_codes (
        user_id uuid NOT NULL,
        code_hash bytea NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_recovery_codes PRIMARY KEY (user_id, code_hash),
        CONSTRAINT fk_recovery_codes_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE workspaces ADD COLUMN require_mfa_for text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      ALTER TABLE workspaces ADD CONSTRAINT ck_workspaces_require_mfa_for
        CHECK (require_mfa_for <@ ARRAY['owner', 'admin', 'editor', 'approver', 'contributor']::text[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workspaces DROP CONSTRAINT ck_workspaces_require_mfa_for`);
    await q.query(`ALTER TABLE workspaces DROP COLUMN require_mfa_for`);
    await q.query(`DROP TABLE recovery_codes`);
    await q.query(`
      ALTER TABLE users
        DROP CONSTRAINT ck_users_totp_enabled,
        DROP COLUMN totp_last_step,
        DROP COLUMN totp_enabled_at,
        DROP COLUMN totp_pending_secret,
        DROP COLUMN totp_secret`);
  }
}
