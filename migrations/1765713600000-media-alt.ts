import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alt text for each of a post's media (`media_alt[i]` describes `media_urls[i]`;
 * empty: none), part of the content that sign-offs are pinned to, kept with each
 * revision, and sent to the networks (Mastodon's `description`, Bluesky's `alt`).
 */
export class MediaAlt1765713600000 implements MigrationInterface {
  name = 'MediaAlt1765713600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE posts ADD COLUMN media_alt text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE post_revisions ADD COLUMN media_alt text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      ALTER TABLE posts ADD CONSTRAINT ck_posts_media_alt
        CHECK (cardinality(media_alt) = 0 OR cardinality(media_alt) = cardinality(media_urls))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE posts DROP CONSTRAINT ck_posts_media_alt`);
    await q.query(`ALTER TABLE post_revisions DROP COLUMN media_alt`);
    await q.query(`ALTER TABLE posts DROP COLUMN media_alt`);
  }
}
