import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's content rules: blocked terms and patterns, allowed link domains, stricter lengths. */
export class ContentRules1764417600000 implements MigrationInterface {
  name = 'ContentRules1764417600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE content_rules (
        workspace_id uuid NOT NULL,
        rules jsonb NOT NULL,
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_content_rules PRIMARY KEY (workspace_id),
        CONSTRAINT fk_content_rules_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE content_rules`);
  }
}
