import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, workspaces, memberships and API keys. */
export class Identity1764072000000 implements MigrationInterface {
  name = 'Identity1764072000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT ck_users_email_lower CHECK (email = lower(email))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_email ON users (email)`);

    await q.query(`
      CREATE TABLE workspaces (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        timezone text NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        paused_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_workspaces PRIMARY KEY (id)
      )`);

    await q.query(`
      CREATE TABLE memberships (
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_memberships PRIMARY KEY (workspace_id, user_id),
        CONSTRAINT fk_memberships_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_memberships_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_memberships_role CHECK (role IN ('owner', 'admin', 'editor', 'approver', 'contributor', 'reviewer'))
      )`);
    // "My workspaces" (GET /v1/me) reads memberships by user.
    await q.query(`CREATE INDEX ix_memberships_user_id ON memberships (user_id)`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        prefix text NOT NULL,
        secret_hash bytea NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_api_keys PRIMARY KEY (id),
        CONSTRAINT fk_api_keys_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_api_keys_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_api_keys_role CHECK (role IN ('contributor', 'editor'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_secret_hash ON api_keys (secret_hash)`);
    await q.query(`CREATE INDEX ix_api_keys_workspace_id ON api_keys (workspace_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE memberships`);
    await q.query(`DROP TABLE workspaces`);
    await q.query(`DROP TABLE users`);
  }
}
