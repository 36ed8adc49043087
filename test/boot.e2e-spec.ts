import { loadConfig } from '@app/config';
import { dataSourceOptions, openDatabase } from '@app/persistence';
import { Client } from 'pg';
import { MIGRATIONS } from '../migrations';
import { freePort, spawnApp, type AppProcess } from './support/app-process';
import { databaseUrl, PG_ADMIN_URL, queuePrefixOf, runId, TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';

const BOOT_TIMEOUT_MS = 40_000;

describe('Booting the real entry points', () => {
  const running: AppProcess[] = [];
  afterAll(async () => {
    for (const p of running) p.child.kill('SIGTERM');
    await Promise.all(running.map((p) => p.exited));
  });

  it('refuses to boot on an invalid variable, naming it', async () => {
    const app = spawnApp('api', { PORT: 'eighty', REDIS_URL: 'http://not-redis' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/PORT: /);
    expect(app.output()).toMatch(/REDIS_URL: /);
  });

  it('refuses the development JWT secret in production', async () => {
    const app = spawnApp('api', { NODE_ENV: 'production' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/JWT_SECRET: must be set/);
  });

  it(
    'brings two processes up at once on a database that does not exist yet, migrating it once',
    async () => {
      const name = `cs_test_${runId()}_fresh`;
      const ports = [await freePort(), await freePort()];
      const env = (port: number) => ({
        NODE_ENV: 'test',
        ROLE: 'api',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl(name),
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: `${queuePrefixOf(runId())}-boot`,
      });
      running.push(...ports.map((port) => spawnApp('api', env(port))));

      for (const port of ports) {
        await waitFor(
          async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
          { timeoutMs: BOOT_TIMEOUT_MS, intervalMs: 200, what: `process on ${port} healthy` },
        );
      }
      // Each says where it listens, so a first run shows the URL to open.
      ports.forEach((port, i) =>
        expect(running[i].output()).toContain(`API listening on http://127.0.0.1:${port}`),
      );

      const db = new Client({ connectionString: databaseUrl(name) });
      await db.connect();
      const { rows } = await db.query<{ name: string; n: string }>(
        'SELECT name, count(*) AS n FROM schema_migrations GROUP BY name',
      );
      await db.end();
      expect(rows).toHaveLength(MIGRATIONS.length);
      expect(rows.every((r) => r.n === '1')).toBe(true);

      const admin = new Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      await admin.end();
      expect(exists.rowCount).toBe(1);
    },
    BOOT_TIMEOUT_MS + 10_000,
  );

  it('runs every migration, reverts each one down to an empty schema, and runs them all again', async () => {
    const url = databaseUrl(`cs_test_${runId()}_migrations`);
    const dataSource = await openDatabase(
      dataSourceOptions(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' })),
      true,
    );
    /** Columns, indexes, constraints, triggers and functions of the public schema (not an extension's). */
    const schema = async () =>
      (
        await dataSource.query<Array<{ item: string }>>(
          `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS item
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
           UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
           UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(c.oid)
             FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
              AND c.conrelid <> 'schema_migrations'::regclass
           UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal
           UNION ALL SELECT 'function ' || pg_get_functiondef(p.oid)
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
           ORDER BY 1`,
        )
      ).map((r) => r.item);
    try {
      const migrated = await schema();
      expect(migrated.some((item) => item.startsWith('trigger CREATE TRIGGER audit_events_chain'))).toBe(
        true,
      );
      for (let i = 0; i < MIGRATIONS.length; i += 1)
        await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await schema()).toEqual([]);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await schema()).toEqual(migrated);
    } finally {
      await dataSource.destroy();
    }
  });
});
