import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login sessions: each login (or sign-up) starts one; its access tokens carry its
 * id and stop working the moment it ends. A session is renewed with single-use
 * refresh tokens, kept only as SHA-256; a used one presented again means it was
 * stolen, and ends the session (reuse detection). Access tokens issued before this
 * migration name no session and are refused: their holders log in again.
 */
export class Sessions1765108800000 implements MigrationInterface {
  name = 'Sessions1765108800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        user_agent text,
        ip text,
        second_factor_at timestamptz,
        ended_at timestamptz,
        end_reason text,
        CONSTRAINT pk_sessions PRIMARY KEY (id),
        CONSTRAINT fk_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_sessions_end_reason CHECK (
          (ended_at IS NULL) = (end_reason IS NULL)
          AND end_reason IN ('logout', 'revoked', 'refresh_reused', 'password_changed', 'password_reset'))
      )`);
    await q.query(`CREATE INDEX ix_sessions_user_id_active ON sessions (user_id) WHERE ended_at IS NULL`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        token_hash bytea NOT NULL,
        session_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_refresh_tokens PRIMARY KEY (token_hash),
        CONSTRAINT fk_refresh_tokens_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_refresh_tokens_session_id ON refresh_tokens (session_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE sessions`);
  }
}
