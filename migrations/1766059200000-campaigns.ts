import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns: one message planned across channels. A post belongs to at most one
 * (`posts.campaign_id`); a paused campaign stops its posts at the gate, as a paused
 * channel does. Names are unique in a workspace, whatever their case (the bulk
 * import finds a campaign by name).
 */
export class Campaigns1766059200000 implements MigrationInterface {
  name = 'Campaigns1766059200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaigns (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        starts_at timestamptz,
        ends_at timestamptz,
        paused boolean NOT NULL DEFAULT false,
        pause_reason text,
        created_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_campaigns PRIMARY KEY (id),
        CONSTRAINT fk_campaigns_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT ck_campaigns_window CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_campaigns_name ON campaigns (workspace_id, lower(name))`);
    await q.query(`
      ALTER TABLE posts ADD COLUMN campaign_id uuid
        CONSTRAINT fk_posts_campaign_id REFERENCES campaigns (id)`);
    await q.query(`CREATE INDEX ix_posts_campaign_id ON posts (campaign_id) WHERE campaign_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE posts DROP COLUMN campaign_id`);
    await q.query(`DROP TABLE campaigns`);
  }
}
