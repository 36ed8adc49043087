import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { looksLikeSecretToken, newSecretToken, secretTokenHash } from '../secret-tokens';

/** A password reset link as stored (the token's SHA-256 only). */
export interface PasswordReset {
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Single-use password reset links. */
@Injectable()
export class PasswordResetsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new link's token for `userId`, valid for `ttlMs`. */
  async create(userId: string, ttlMs: number): Promise<string> {
    const { token, hash } = newSecretToken();
    await this.db.query(
      `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')`,
      [hash, userId, ttlMs],
    );
    return token;
  }

  /** How many links `userId` was sent in the last `withinMs`. */
  async countRecent(userId: string, withinMs: number): Promise<number> {
    const [{ count }] = await this.db.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM password_resets
        WHERE user_id = $1 AND created_at > now() - $2 * interval '1 millisecond'`,
      [userId, withinMs],
    );
    return count;
  }

  async find(token: string): Promise<PasswordReset | null> {
    if (!looksLikeSecretToken(token)) return null;
    const [row] = await this.db.query<PasswordReset[]>(
      `SELECT user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt" FROM password_resets WHERE token_hash = $1`,
      [secretTokenHash(token)],
    );
    return row ?? null;
  }

  /** Uses the link, once and in time; false when it was used already or has expired. */
  async use(token: string, em: EntityManager): Promise<boolean> {
    const [, affected] = await em.query<[unknown, number]>(
      `UPDATE password_resets SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [secretTokenHash(token)],
    );
    return affected > 0;
  }

  /** Forgets links expired more than a day ago; how many. */
  async purge(): Promise<number> {
    const [, removed] = await this.db.query<[unknown, number]>(
      `DELETE FROM password_resets WHERE expires_at < now() - interval '1 day'`,
    );
    return removed;
  }

  /** Every unused link of `userId` stops working (their password just changed). */
  async voidAllOf(userId: string, em: EntityManager): Promise<void> {
    await em.query(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [
      userId,
    ]);
  }
}
