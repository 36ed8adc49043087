// One-shot: create the database if needed and apply pending migrations, then exit.
// Used by docker compose's `migrate` service; the apps do the same at boot unless
// MIGRATIONS_RUN=false.
import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { openDatabase } from './database-bootstrap';
import { dataSourceOptions } from './data-source-options';

async function main(): Promise<void> {
  const dataSource = await openDatabase(dataSourceOptions(loadConfig()), true);
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
