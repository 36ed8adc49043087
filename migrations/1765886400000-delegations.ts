import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stand-in approvers: a member's delegation to another member for a window
 * (`starts_at` to `ends_at`); at most one not ended per member and workspace (a new
 * one ends the old). A decision made by a stand-in names the member it counts as
 * (`approvals.on_behalf_of_user_id`), and so does a review link mailed to one.
 */
export class Delegations1765886400000 implements MigrationInterface {
  name = 'Delegations1765886400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delegations (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        delegate_user_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        note text,
        created_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CONSTRAINT pk_delegations PRIMARY KEY (id),
        CONSTRAINT fk_delegations_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_delegations_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_delegations_delegate_user_id FOREIGN KEY (delegate_user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_delegations_window CHECK (ends_at > starts_at),
        CONSTRAINT ck_delegations_not_self CHECK (delegate_user_id <> user_id)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX uq_delegations_current ON delegations (workspace_id, user_id) WHERE ended_at IS NULL`);
    await q.query(`
      CREATE INDEX ix_delegations_delegate ON delegations (workspace_id, delegate_user_id) WHERE ended_at IS NULL`);
    for (const table of ['approvals', 'review_links']) {
      await q.query(`
        ALTER TABLE ${table}
          ADD COLUMN on_behalf_of_user_id uuid
            CONSTRAINT fk_${table}_on_behalf_of_user_id REFERENCES users (id) ON DELETE CASCADE,
          ADD CONSTRAINT ck_${table}_on_behalf_of CHECK (on_behalf_of_user_id <> approver_user_id)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['review_links', 'approvals']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN on_behalf_of_user_id`);
    }
    await q.query(`DROP TABLE delegations`);
  }
}
