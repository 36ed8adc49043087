import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An API key acts for the member who created it (the two-person rule): what a key
 * wrote so far is that member's work too, and an active key always has a creator
 * who is still a member. Keys that outlived their creator's membership are revoked.
 */
export class KeyCreators1764936000000 implements MigrationInterface {
  name = 'KeyCreators1764936000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE api_keys k SET revoked_at = now()
       WHERE k.revoked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = k.workspace_id AND m.user_id = k.created_by)`);
    await q.query(
      `ALTER TABLE api_keys ADD CONSTRAINT ck_api_keys_active_has_creator CHECK (created_by IS NOT NULL OR revoked_at IS NOT NULL)`,
    );
    await q.query(`
      UPDATE posts p SET author_user_id = k.created_by
        FROM api_keys k
       WHERE k.id = p.author_api_key_id AND p.author_user_id IS NULL`);
    await q.query(`
      UPDATE post_revisions r SET editor_user_id = k.created_by
        FROM api_keys k
       WHERE k.id = r.editor_api_key_id AND r.editor_user_id IS NULL`);
  }

  // Keys revoked on the way up stay revoked: a revocation is not undone by a schema change.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE post_revisions SET editor_user_id = NULL WHERE editor_api_key_id IS NOT NULL`);
    await q.query(`UPDATE posts SET author_user_id = NULL WHERE author_api_key_id IS NOT NULL`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT ck_api_keys_active_has_creator`);
  }
}
