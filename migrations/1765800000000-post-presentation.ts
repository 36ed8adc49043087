import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What networks show around a post's text: a content warning (Mastodon's
 * `spoiler_text`), the audience (Mastodon's `visibility`) and the text's language
 * (Mastodon's `language`, Bluesky's `langs`). Part of the content sign-offs are
 * pinned to, and kept with each revision. Other networks show every post publicly.
 */
export class PostPresentation1765800000000 implements MigrationInterface {
  name = 'PostPresentation1765800000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['posts', 'post_revisions']) {
      await q.query(`
        ALTER TABLE ${table}
          ADD COLUMN content_warning text,
          ADD COLUMN visibility text NOT NULL DEFAULT 'public' CONSTRAINT ck_${table}_visibility
            CHECK (visibility IN ('public', 'unlisted', 'private', 'direct')),
          ADD COLUMN language text`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['post_revisions', 'posts']) {
      await q.query(`
        ALTER TABLE ${table} DROP COLUMN language, DROP COLUMN visibility, DROP COLUMN content_warning`);
    }
  }
}
