import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily digest: a member may take review requests of posts due more than 48 h
 * ahead once a day, in one mail per workspace. A held request is kept as the stage
 * it asks about (its link is made when the digest is written, so no raw token is
 * ever stored); the day's digest is claimed per member and workspace.
 */
export class MailDigest1765022400000 implements MigrationInterface {
  name = 'MailDigest1765022400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN mail_digest text NOT NULL DEFAULT 'off'`);
    await q.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_mail_digest CHECK (mail_digest IN ('off', 'daily'))`,
    );
    await q.query(`
      CREATE TABLE review_digest_items (
        user_id uuid NOT NULL,
        workspace_id uuid NOT NULL,
        post_id uuid NOT NULL,
        version integer NOT NULL,
        stage_index integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_review_digest_items PRIMARY KEY (user_id, post_id, version, stage_index),
        CONSTRAINT fk_review_digest_items_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_review_digest_items_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT fk_review_digest_items_post_id FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE review_digests (
        user_id uuid NOT NULL,
        workspace_id uuid NOT NULL,
        last_sent_on date NOT NULL,
        CONSTRAINT pk_review_digests PRIMARY KEY (user_id, workspace_id),
        CONSTRAINT fk_review_digests_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_review_digests_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_digests`);
    await q.query(`DROP TABLE review_digest_items`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_mail_digest`);
    await q.query(`ALTER TABLE users DROP COLUMN mail_digest`);
  }
}
