import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** Arbitrary but fixed: every Countersign process serialises its migrations on this key. */
const MIGRATION_LOCK_KEY = 7_261_530_001;

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

const logger = new Logger('Database');

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates the database named in `url` when it does not exist, connecting to the
 * server's `postgres` database to do so. Safe to call from several processes at once.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');

  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    logger.log(`created database ${name}`);
  } catch (error) {
    // Another process created it between our check and our CREATE.
    if (![DUPLICATE_DATABASE, UNIQUE_VIOLATION].includes(pgCode(error) ?? '')) throw error;
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations while holding a Postgres advisory lock, so that processes
 * starting together apply each migration exactly once; the others wait, then find
 * nothing left to do.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) logger.log(`applied migration ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Creates the database if needed, connects, and (unless disabled) migrates it. */
export async function openDatabase(options: DataSourceOptions, migrate: boolean): Promise<DataSource> {
  if (options.type === 'postgres' && options.url) await ensureDatabase(options.url);
  const dataSource = await new DataSource(options).initialize();
  if (migrate) await runMigrationsLocked(dataSource);
  return dataSource;
}
