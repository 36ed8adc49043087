import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mention polling: where each connected channel goes on from (the network's
 * notification id), and the Mastodon apps kept per instance keyed by their scopes
 * too, so that asking for a new scope (read:notifications) registers a new app
 * instead of authorizing an old one for scopes it was not registered with.
 */
export class MentionPolling1766318400000 implements MigrationInterface {
  name = 'MentionPolling1766318400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mention_cursors (
        channel_id uuid NOT NULL,
        cursor text NOT NULL,
        polled_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_mention_cursors PRIMARY KEY (channel_id),
        CONSTRAINT fk_mention_cursors_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE
      )`);
    await q.query(`
      ALTER TABLE mastodon_apps
        ADD COLUMN scopes text NOT NULL DEFAULT 'read:accounts write:statuses write:media',
        DROP CONSTRAINT pk_mastodon_apps,
        ADD CONSTRAINT pk_mastodon_apps PRIMARY KEY (instance_url, redirect_uri, scopes)`);
    await q.query(`ALTER TABLE mastodon_apps ALTER COLUMN scopes DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Of an instance's apps, the oldest stays (the one the key without scopes found).
    await q.query(`
      DELETE FROM mastodon_apps a USING mastodon_apps b
       WHERE a.instance_url = b.instance_url AND a.redirect_uri = b.redirect_uri AND a.created_at > b.created_at`);
    await q.query(`
      ALTER TABLE mastodon_apps
        DROP CONSTRAINT pk_mastodon_apps,
        ADD CONSTRAINT pk_mastodon_apps PRIMARY KEY (instance_url, redirect_uri),
        DROP COLUMN scopes`);
    await q.query(`DROP TABLE mention_cursors`);
  }
}
