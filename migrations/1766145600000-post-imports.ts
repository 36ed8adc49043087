import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports made with an Idempotency-Key: the answer is kept, so the same
 * request again (a retry after a lost answer) gets it back instead of a second set
 * of posts. Keys are the caller's (a person or an API key), per workspace.
 */
export class PostImports1766145600000 implements MigrationInterface {
  name = 'PostImports1766145600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE post_imports (
        workspace_id uuid NOT NULL,
        principal text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_post_imports PRIMARY KEY (workspace_id, principal, idempotency_key),
        CONSTRAINT fk_post_imports_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE post_imports`);
  }
}
