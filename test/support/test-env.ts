// Names shared by the global setup and the test workers. Tests may read process.env;
// the product reads it only through libs/config.
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Set by the global setup so that two test runs on one machine never share a database. */
export function runId(): string {
  const id = process.env.COUNTERSIGN_TEST_RUN;
  if (!id) throw new Error('COUNTERSIGN_TEST_RUN is not set: run the e2e tests through jest (global setup)');
  return id;
}

export const templateDatabase = (run: string): string => `cs_test_${run}_template`;
export const workerDatabasePrefix = (run: string): string => `cs_test_${run}_w`;
export const queuePrefixOf = (run: string): string => `cs-test-${run}`;

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
