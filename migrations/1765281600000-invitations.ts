import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations: a person without an account, added with a role that logs in, is
 * invited rather than made a member. Until they accept (choosing a password) they
 * are no member at all, so no rule can count them. The link's token is made by the
 * worker as it writes the mail (only its SHA-256 is kept); resending makes a new
 * invitation and revokes the old one.
 */
export class Invitations1765281600000 implements MigrationInterface {
  name = 'Invitations1765281600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invitations (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        invited_by uuid,
        token_hash bytea,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_invitations PRIMARY KEY (id),
        CONSTRAINT fk_invitations_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_invitations_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_invitations_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_invitations_role CHECK (role IN ('owner', 'admin', 'editor', 'approver', 'contributor')),
        CONSTRAINT ck_invitations_one_end CHECK (accepted_at IS NULL OR revoked_at IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_invitations_token_hash ON invitations (token_hash)`);
    await q.query(
      `CREATE UNIQUE INDEX uq_invitations_pending ON invitations (workspace_id, user_id) WHERE accepted_at IS NULL AND revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE invitations`);
  }
}
