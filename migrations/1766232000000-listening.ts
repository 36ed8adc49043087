import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listening: mentions taken in (stored once each: per workspace, network, external
 * id and channel), the tokens listening tools post them with (the token hashed, its
 * signing secret sealed), and each workspace's spike watch.
 */
export class Listening1766232000000 implements MigrationInterface {
  name = 'Listening1766232000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mentions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        channel_id uuid,
        network text NOT NULL,
        external_id text NOT NULL,
        author_handle text NOT NULL,
        author_name text,
        text text NOT NULL,
        url text,
        language text,
        in_reply_to text,
        post_id uuid,
        sentiment real NOT NULL,
        negative boolean NOT NULL,
        status text NOT NULL DEFAULT 'open',
        assignee_id uuid,
        created_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        handled_at timestamptz,
        CONSTRAINT pk_mentions PRIMARY KEY (id),
        CONSTRAINT fk_mentions_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_mentions_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id),
        CONSTRAINT fk_mentions_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE SET NULL,
        CONSTRAINT fk_mentions_assignee_id FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_mentions_status CHECK (status IN ('open', 'handled'))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX uq_mentions_external ON mentions (workspace_id, network, external_id, channel_id) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX ix_mentions_created ON mentions (workspace_id, created_at)`);
    await q.query(
      `CREATE INDEX ix_mentions_inbox ON mentions (workspace_id, status, received_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE inbound_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        name text NOT NULL,
        token_hash bytea NOT NULL,
        secret_sealed text NOT NULL,
        created_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_inbound_tokens PRIMARY KEY (id),
        CONSTRAINT uq_inbound_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_inbound_tokens_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE listening_watches (
        workspace_id uuid NOT NULL,
        window_minutes integer NOT NULL,
        min_mentions integer NOT NULL,
        factor real NOT NULL,
        negative_share real,
        action text NOT NULL,
        cooldown_minutes integer NOT NULL,
        last_alert_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_listening_watches PRIMARY KEY (workspace_id),
        CONSTRAINT fk_listening_watches_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT ck_listening_watches_action CHECK (action IN ('notify', 'pause'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE listening_watches`);
    await q.query(`DROP TABLE inbound_tokens`);
    await q.query(`DROP TABLE mentions`);
  }
}
