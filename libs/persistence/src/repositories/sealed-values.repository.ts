import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialsCipher } from '../credentials-cipher';

/** Every column that holds values sealed with CREDENTIALS_KEY. */
const SEALED_COLUMNS = [
  { table: 'channels', column: 'publisher_credentials' },
  { table: 'mastodon_apps', column: 'client_secret' },
  { table: 'users', column: 'totp_secret' },
  { table: 'users', column: 'totp_pending_secret' },
  { table: 'inbound_tokens', column: 'secret_sealed' },
] as const;

/** Values resealed per statement. */
const BATCH = 500;

/**
 * Rotation's second half: values sealed under CREDENTIALS_KEY_PREVIOUS are written
 * again under CREDENTIALS_KEY, so the previous key can be dropped. Each write is a
 * compare-and-swap on the old value: one changed meanwhile is left to its writer.
 */
@Injectable()
export class SealedValuesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: CredentialsCipher,
  ) {}

  /** How many values were sealed under another key than the current one and are not now. */
  async resealAll(): Promise<number> {
    let resealed = 0;
    for (const { table, column } of SEALED_COLUMNS) {
      for (;;) {
        const rows = await this.db.query<Array<{ value: string }>>(
          `SELECT ${column} AS value FROM ${table}
            WHERE ${column} IS NOT NULL AND split_part(${column}, '.', 2) <> $1 LIMIT ${BATCH}`,
          [this.cipher.currentKeyId],
        );
        // Values no configured key opens stay as they are (and are reported by their users).
        const pairs = rows.flatMap(({ value }) => {
          try {
            return [[value, this.cipher.seal(this.cipher.open(value))]];
          } catch {
            return [];
          }
        });
        if (pairs.length > 0) {
          await this.db.query(
            `UPDATE ${table} t SET ${column} = p.next
               FROM jsonb_to_recordset($1::jsonb) AS p(old text, next text)
              WHERE t.${column} = p.old`,
            [JSON.stringify(pairs.map(([old, next]) => ({ old, next })))],
          );
        }
        resealed += pairs.length;
        if (rows.length < BATCH || pairs.length === 0) break;
      }
    }
    return resealed;
  }
}
