import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comments on posts: one level of replies (`parent_id` names a top-level comment
 * of the same post), `team` or `everyone`, the post version they were written on,
 * and the users they mention. A deleted comment stays as a tombstone (its body
 * gone) so replies keep their place.
 */
export class Comments1765972800000 implements MigrationInterface {
  name = 'Comments1765972800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE post_comments (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        post_id uuid NOT NULL,
        parent_id uuid,
        author_user_id uuid,
        author_api_key_id uuid,
        visibility text NOT NULL,
        body text,
        mentions uuid[] NOT NULL DEFAULT '{}',
        post_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        CONSTRAINT pk_post_comments PRIMARY KEY (id),
        CONSTRAINT fk_post_comments_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
        CONSTRAINT fk_post_comments_parent_id FOREIGN KEY (parent_id) REFERENCES post_comments (id),
        CONSTRAINT fk_post_comments_author_user_id FOREIGN KEY (author_user_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_post_comments_author_api_key_id FOREIGN KEY (author_api_key_id) REFERENCES api_keys (id) ON DELETE SET NULL,
        CONSTRAINT ck_post_comments_visibility CHECK (visibility IN ('team', 'everyone')),
        CONSTRAINT ck_post_comments_body CHECK ((body IS NULL) = (deleted_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_post_comments_post_id ON post_comments (post_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE post_comments`);
  }
}
