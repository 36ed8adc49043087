import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a person proved they read the mail of their address (accepted an invitation,
 * reset their password by its link, signed in through an identity provider that
 * vouches for it). Signing up proves nothing, so an account nobody proved is never
 * made a member at once: it is invited, and the invitation's link goes to the mailbox.
 * Accepted invitations are the proof already on record.
 */
export class VerifiedEmail1765540800000 implements MigrationInterface {
  name = 'VerifiedEmail1765540800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
    await q.query(`
      UPDATE users u SET email_verified_at = i.accepted_at
        FROM (SELECT user_id, min(accepted_at) AS accepted_at FROM invitations
               WHERE accepted_at IS NOT NULL GROUP BY user_id) i
       WHERE i.user_id = u.id`);
    // The sessions of whoever set a password without proving the address end when the owner proves it.
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason`);
    await q.query(`
      ALTER TABLE sessions ADD CONSTRAINT ck_sessions_end_reason CHECK (
        (ended_at IS NULL) = (end_reason IS NULL)
        AND end_reason IN ('logout', 'revoked', 'refresh_reused', 'password_changed', 'password_reset',
                           'mailbox_proved'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT ck_sessions_end_reason`);
    await q.query(`UPDATE sessions SET end_reason = 'revoked' WHERE end_reason = 'mailbox_proved'`);
    await q.query(`
      ALTER TABLE sessions ADD CONSTRAINT ck_sessions_end_reason CHECK (
        (ended_at IS NULL) = (end_reason IS NULL)
        AND end_reason IN ('logout', 'revoked', 'refresh_reused', 'password_changed', 'password_reset'))`);
    await q.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
  }
}
