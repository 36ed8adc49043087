import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replies to mentions: what the network needs to answer a mention (a Mastodon
 * status id; Bluesky's root and parent references), kept with the mention when it
 * was read from the channel and copied to the reply post, which is made once and
 * never moved; and when our first reply to a mention went out.
 */
export class MentionReplies1766404800000 implements MigrationInterface {
  name = 'MentionReplies1766404800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mentions ADD COLUMN reply_ref jsonb, ADD COLUMN replied_at timestamptz`);
    await q.query(`
      ALTER TABLE posts
        ADD COLUMN reply_to_mention_id uuid,
        ADD COLUMN reply_ref jsonb,
        ADD CONSTRAINT fk_posts_reply_to_mention_id FOREIGN KEY (reply_to_mention_id) REFERENCES mentions (id) ON DELETE SET NULL`);
    await q.query(
      `CREATE INDEX ix_posts_reply_to_mention ON posts (reply_to_mention_id) WHERE reply_to_mention_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_posts_reply_to_mention`);
    await q.query(`
      ALTER TABLE posts DROP CONSTRAINT fk_posts_reply_to_mention_id,
        DROP COLUMN reply_ref, DROP COLUMN reply_to_mention_id`);
    await q.query(`ALTER TABLE mentions DROP COLUMN replied_at, DROP COLUMN reply_ref`);
  }
}
