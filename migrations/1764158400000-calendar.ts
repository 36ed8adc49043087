import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Channels, posts with their revisions, idempotency keys for POST, and iCalendar feeds. */
export class Calendar1764158400000 implements MigrationInterface {
  name = 'Calendar1764158400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channels (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        name text NOT NULL,
        network text NOT NULL,
        handle text,
        publisher_kind text NOT NULL,
        publisher_url text,
        publisher_secret text,
        paused boolean NOT NULL DEFAULT false,
        paused_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_channels PRIMARY KEY (id),
        CONSTRAINT fk_channels_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT ck_channels_network CHECK (network IN ('x', 'bluesky', 'threads', 'mastodon', 'instagram', 'tiktok', 'linkedin', 'facebook')),
        CONSTRAINT ck_channels_publisher CHECK (
          (publisher_kind = 'webhook' AND publisher_url IS NOT NULL AND publisher_secret IS NOT NULL)
          OR (publisher_kind = 'log' AND publisher_url IS NULL AND publisher_secret IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_channels_workspace_id ON channels (workspace_id, created_at, id)`);

    await q.query(`
      CREATE TABLE posts (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        channel_id uuid NOT NULL,
        author_user_id uuid,
        author_api_key_id uuid,
        status text NOT NULL DEFAULT 'draft',
        version integer NOT NULL DEFAULT 1,
        text text NOT NULL,
        media_urls text[] NOT NULL DEFAULT '{}',
        link text,
        scheduled_at timestamptz NOT NULL,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_posts PRIMARY KEY (id),
        CONSTRAINT fk_posts_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_posts_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id),
        CONSTRAINT fk_posts_author_user_id FOREIGN KEY (author_user_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_posts_author_api_key_id FOREIGN KEY (author_api_key_id) REFERENCES api_keys (id) ON DELETE SET NULL,
        CONSTRAINT ck_posts_status CHECK (status IN ('draft', 'in_review', 'changes_requested', 'approved', 'publishing',
          'published', 'failed', 'blocked', 'canceled', 'expired', 'taken_down')),
        CONSTRAINT ck_posts_version CHECK (version >= 1)
      )`);
    // The calendar and the default list: one workspace, a time range, in time order.
    await q.query(
      `CREATE INDEX ix_posts_workspace_id_scheduled_at ON posts (workspace_id, scheduled_at, id)`,
    );
    // Lists filtered by status (the review queue, the approved backlog).
    await q.query(
      `CREATE INDEX ix_posts_workspace_id_status_scheduled_at ON posts (workspace_id, status, scheduled_at, id)`,
    );
    // Lists and calendars of one channel.
    await q.query(`CREATE INDEX ix_posts_channel_id_scheduled_at ON posts (channel_id, scheduled_at, id)`);
    // A contributor's own posts (people and API keys).
    await q.query(
      `CREATE INDEX ix_posts_author_user_id_scheduled_at ON posts (author_user_id, scheduled_at, id) WHERE author_user_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_posts_author_api_key_id_scheduled_at ON posts (author_api_key_id, scheduled_at, id) WHERE author_api_key_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE post_revisions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        post_id uuid NOT NULL,
        version integer NOT NULL,
        editor_user_id uuid,
        editor_api_key_id uuid,
        changed text[] NOT NULL,
        channel_id uuid NOT NULL,
        text text NOT NULL,
        media_urls text[] NOT NULL,
        link text,
        scheduled_at timestamptz NOT NULL,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_post_revisions PRIMARY KEY (id),
        CONSTRAINT fk_post_revisions_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_post_revisions_post_id ON post_revisions (post_id, created_at)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        workspace_id uuid NOT NULL,
        principal text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        post_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (workspace_id, principal, key),
        CONSTRAINT fk_idempotency_keys_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_idempotency_keys_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE calendar_feeds (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        token_hash bytea NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_calendar_feeds PRIMARY KEY (id),
        CONSTRAINT fk_calendar_feeds_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_calendar_feeds_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_calendar_feeds_token_hash ON calendar_feeds (token_hash)`);
    await q.query(`CREATE INDEX ix_calendar_feeds_workspace_id ON calendar_feeds (workspace_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feeds`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE post_revisions`);
    await q.query(`DROP TABLE posts`);
    await q.query(`DROP TABLE channels`);
  }
}
