import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../pagination';
import { newSecretToken, secretTokenHash } from '../secret-tokens';

/** Why a session ended. */
export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'refresh_reused'
  | 'password_changed'
  | 'password_reset'
  /** the address's owner proved it: whoever had set a password before them is out */
  | 'mailbox_proved';

/** A login session as its owner sees it. */
export interface SessionRow {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ip: string | null;
  secondFactorAt: Date | null;
}

/** Where a request comes from, as recorded on the session it starts. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/** What presenting a refresh token did. */
export type Rotation =
  | { kind: 'rotated'; userId: string; sessionId: string; refreshToken: string }
  /** unknown, expired, or of an ended session */
  | { kind: 'refused' }
  /** used before: the session it belonged to is ended now */
  | { kind: 'reused'; userId: string; sessionId: string };

const COLUMNS = `id, created_at AS "createdAt", last_used_at AS "lastUsedAt", user_agent AS "userAgent", ip,
  second_factor_at AS "secondFactorAt"`;

/** Login sessions and their single-use refresh tokens (only their SHA-256 is kept). */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new session with its first refresh token. */
  async start(
    userId: string,
    client: ClientInfo,
    secondFactor: boolean,
    refreshTtlMs: number,
    em: EntityManager = this.db.manager,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const [{ id }] = await em.query<Array<{ id: string }>>(
      `INSERT INTO sessions (user_id, user_agent, ip, second_factor_at)
       VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END) RETURNING id`,
      [userId, client.userAgent?.slice(0, 512) ?? null, client.ip, secondFactor],
    );
    return { sessionId: id, refreshToken: await this.issue(id, refreshTtlMs, em) };
  }

  /**
   * Trades a refresh token for the next one of its session, once: the token row is
   * locked, so of two presentations at once one rotates and the other is a reuse.
   */
  rotate(refreshToken: string, refreshTtlMs: number): Promise<Rotation> {
    return this.db.transaction(async (em) => {
      const [found] = await em.query<
        Array<{ session_id: string; user_id: string; used: boolean; live: boolean }>
      >(
        `SELECT t.session_id, s.user_id, t.used_at IS NOT NULL AS used,
                (t.expires_at > now() AND s.ended_at IS NULL) AS live
           FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t`,
        [secretTokenHash(refreshToken)],
      );
      if (!found) return { kind: 'refused' };
      if (found.used) {
        await this.end(found.session_id, 'refresh_reused', em);
        return { kind: 'reused', userId: found.user_id, sessionId: found.session_id };
      }
      if (!found.live) return { kind: 'refused' };
      await em.query(`UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1`, [
        secretTokenHash(refreshToken),
      ]);
      await em.query(`UPDATE sessions SET last_used_at = now() WHERE id = $1`, [found.session_id]);
      return {
        kind: 'rotated',
        userId: found.user_id,
        sessionId: found.session_id,
        refreshToken: await this.issue(found.session_id, refreshTtlMs, em),
      };
    });
  }

  /** Ends a session; false when it had ended already (or is not there). */
  async end(
    sessionId: string,
    reason: SessionEndReason,
    em: EntityManager = this.db.manager,
  ): Promise<boolean> {
    const [, affected] = await em.query<[unknown, number]>(
      `UPDATE sessions SET ended_at = now(), end_reason = $2 WHERE id = $1 AND ended_at IS NULL`,
      [sessionId, reason],
    );
    return affected > 0;
  }

  /** Ends one of `userId`'s sessions; false when they have no such session running. */
  async endOwn(userId: string, sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const [, affected] = await this.db.query<[unknown, number]>(
      `UPDATE sessions SET ended_at = now(), end_reason = $3 WHERE id = $2 AND user_id = $1 AND ended_at IS NULL`,
      [userId, sessionId, reason],
    );
    return affected > 0;
  }

  /** Ends every running session of `userId` but `except`; how many ended. */
  async endAllOf(
    userId: string,
    reason: SessionEndReason,
    except: string | null,
    em: EntityManager = this.db.manager,
  ): Promise<number> {
    const [, affected] = await em.query<[unknown, number]>(
      `UPDATE sessions SET ended_at = now(), end_reason = $2
        WHERE user_id = $1 AND ended_at IS NULL AND id IS DISTINCT FROM $3`,
      [userId, reason, except],
    );
    return affected;
  }

  /** `userId`'s sessions still running (not ended, used within the refresh lifetime), newest first. */
  async listRunning(
    userId: string,
    refreshTtlMs: number,
    limit: number,
    cursor?: string,
  ): Promise<Page<SessionRow>> {
    const [afterAt, afterId] = cursor ? decodeCursor(cursor, 2) : [null, null];
    const rows = await this.db.query<SessionRow[]>(
      `SELECT ${COLUMNS} FROM sessions
        WHERE user_id = $1 AND ended_at IS NULL AND last_used_at > now() - $2 * interval '1 millisecond'
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [userId, refreshTtlMs, afterAt, afterId, limit + 1],
    );
    return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
  }

  /** Records that the session proved a second factor (enrolment, or a login that asked for one). */
  async provedSecondFactor(sessionId: string, em: EntityManager = this.db.manager): Promise<void> {
    await em.query(`UPDATE sessions SET second_factor_at = now() WHERE id = $1`, [sessionId]);
  }

  /** No session of `userId` counts as having shown a second factor any more (they turned it off). */
  async forgetSecondFactor(userId: string, em: EntityManager): Promise<void> {
    await em.query(`UPDATE sessions SET second_factor_at = NULL WHERE user_id = $1`, [userId]);
  }

  /** Marks the session used now; at most one write a minute per session. */
  async touch(sessionId: string): Promise<void> {
    await this.db.query(
      `UPDATE sessions SET last_used_at = now() WHERE id = $1 AND last_used_at < now() - interval '1 minute'`,
      [sessionId],
    );
  }

  /**
   * Forgets what no longer matters: refresh tokens a day past their expiry (until
   * then a reuse is still caught), and sessions ended more than `endedMs` ago. How
   * many of each went.
   */
  async purge(endedMs: number): Promise<{ refreshTokens: number; sessions: number }> {
    const [, refreshTokens] = await this.db.query<[unknown, number]>(
      `DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`,
    );
    const [, sessions] = await this.db.query<[unknown, number]>(
      `DELETE FROM sessions WHERE ended_at < now() - $1 * interval '1 millisecond'`,
      [endedMs],
    );
    return { refreshTokens, sessions };
  }

  private async issue(sessionId: string, ttlMs: number, em: EntityManager): Promise<string> {
    const { token, hash } = newSecretToken();
    await em.query(
      `INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')`,
      [hash, sessionId, ttlMs],
    );
    return token;
  }
}
