import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { dataSourceOptions, runMigrationsLocked } from '@app/persistence';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseUrl, PG_ADMIN_URL, templateDatabase } from './test-env';

/** Migrates a template database once per run; each test file clones it (fast, isolated). */
export default async function globalSetup(): Promise<void> {
  const run = `${process.pid}${Date.now().toString(36)}`;
  process.env.COUNTERSIGN_TEST_RUN = run;
  const template = templateDatabase(run);

  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();

  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl(template) });
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();
}
