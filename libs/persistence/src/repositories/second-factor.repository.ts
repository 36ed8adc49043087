import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A person's second factor as stored: secrets sealed (CredentialsCipher), recovery codes hashed. */
@Injectable()
export class SecondFactorRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Keeps a secret until a code from it confirms it (a new one replaces the last). */
  async setPending(userId: string, sealedSecret: string): Promise<void> {
    await this.db.query(`UPDATE users SET totp_pending_secret = $2 WHERE id = $1`, [userId, sealedSecret]);
  }

  async secrets(userId: string): Promise<{ active: string | null; pending: string | null }> {
    const [row] = await this.db.query<Array<{ active: string | null; pending: string | null }>>(
      `SELECT totp_secret AS active, totp_pending_secret AS pending FROM users WHERE id = $1`,
      [userId],
    );
    return row ?? { active: null, pending: null };
  }

  /** Turns the pending secret on, the code that confirmed it spent; false when it changed meanwhile. */
  async enable(userId: string, sealedPending: string, step: number, em: EntityManager): Promise<boolean> {
    const [, affected] = await em.query<[unknown, number]>(
      `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                        totp_enabled_at = now(), totp_last_step = $3
        WHERE id = $1 AND totp_pending_secret = $2 AND totp_secret IS NULL`,
      [userId, sealedPending, step],
    );
    return affected > 0;
  }

  /**
   * Spends the time step a code belongs to: true once per step and only forward, so
   * a code seen (or its neighbours in the window) cannot be played again.
   */
  async spendStep(userId: string, step: number): Promise<boolean> {
    const [, affected] = await this.db.query<[unknown, number]>(
      `UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [userId, step],
    );
    return affected > 0;
  }

  /** Spends a recovery code; false when it is unknown or was used. */
  async spendRecoveryCode(userId: string, codeHash: Buffer): Promise<boolean> {
    const [, affected] = await this.db.query<[unknown, number]>(
      `UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, codeHash],
    );
    return affected > 0;
  }

  async replaceRecoveryCodes(
    userId: string,
    codeHashes: readonly Buffer[],
    em: EntityManager,
  ): Promise<void> {
    await em.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await em.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, [
      userId,
      codeHashes,
    ]);
  }

  async disable(userId: string, em: EntityManager): Promise<void> {
    await em.query(
      `UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL
        WHERE id = $1`,
      [userId],
    );
    await em.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
  }
}
