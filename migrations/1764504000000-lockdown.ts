import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Lockdown: login tokens of a workspace issued before this instant stop working there (but the caller's). */
export class Lockdown1764504000000 implements MigrationInterface {
  name = 'Lockdown1764504000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE workspaces ADD COLUMN sessions_revoked_at timestamptz, ADD COLUMN sessions_revoked_except uuid`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE workspaces DROP COLUMN sessions_revoked_except, DROP COLUMN sessions_revoked_at`,
    );
  }
}
