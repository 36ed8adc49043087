import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channels that publish to a network themselves (Mastodon, Bluesky): what is not
 * secret about the account (`publisher_config`: instance, account id, handle, the
 * instance's text limit) and, sealed with CREDENTIALS_KEY, what is
 * (`publisher_credentials`: a token or an app password, and a network session).
 * A channel whose credentials stopped working says so (`needs_reconnect_at`), and
 * the gate blocks its posts until someone reconnects it. Mastodon apps are
 * registered once per instance and kept (`mastodon_apps`).
 */
export class NetworkChannels1765627200000 implements MigrationInterface {
  name = 'NetworkChannels1765627200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE channels
        ADD COLUMN publisher_config jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN publisher_credentials text,
        ADD COLUMN needs_reconnect_at timestamptz,
        ADD COLUMN reconnect_reason text`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT ck_channels_publisher`);
    await q.query(`
      ALTER TABLE channels ADD CONSTRAINT ck_channels_publisher CHECK (
        (publisher_kind = 'webhook' AND publisher_url IS NOT NULL AND publisher_secret IS NOT NULL
          AND publisher_credentials IS NULL)
        OR (publisher_kind = 'log' AND publisher_url IS NULL AND publisher_secret IS NULL
          AND publisher_credentials IS NULL)
        OR (publisher_kind = 'mastodon' AND network = 'mastodon' AND publisher_credentials IS NOT NULL
          AND publisher_url IS NULL AND publisher_secret IS NULL)
        OR (publisher_kind = 'bluesky' AND network = 'bluesky' AND publisher_credentials IS NOT NULL
          AND publisher_url IS NULL AND publisher_secret IS NULL))`);
    await q.query(`
      ALTER TABLE channels ADD CONSTRAINT ck_channels_reconnect CHECK (
        (needs_reconnect_at IS NULL) = (reconnect_reason IS NULL))`);
    await q.query(`
      CREATE TABLE mastodon_apps (
        instance_url text NOT NULL,
        redirect_uri text NOT NULL,
        client_id text NOT NULL,
        client_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_mastodon_apps PRIMARY KEY (instance_url, redirect_uri)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mastodon_apps`);
    await q.query(`DELETE FROM channels WHERE publisher_kind IN ('mastodon', 'bluesky')`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT ck_channels_reconnect`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT ck_channels_publisher`);
    await q.query(`
      ALTER TABLE channels ADD CONSTRAINT ck_channels_publisher CHECK (
        (publisher_kind = 'webhook' AND publisher_url IS NOT NULL AND publisher_secret IS NOT NULL)
        OR (publisher_kind = 'log' AND publisher_url IS NULL AND publisher_secret IS NULL))`);
    await q.query(`
      ALTER TABLE channels
        DROP COLUMN publisher_config,
        DROP COLUMN publisher_credentials,
        DROP COLUMN needs_reconnect_at,
        DROP COLUMN reconnect_reason`);
  }
}
