// Shared by the benchmark scripts: a fresh migrated database, the API in its own
// process, and autocannon runs summarised as medians and percentiles.
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { environmentWith, loadConfig } from '@app/config';
import { dataSourceOptions, openDatabase } from '@app/persistence';
import autocannon from 'autocannon';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..');

export function adminUrl(database: string): string {
  const url = new URL(loadConfig().databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops and recreates `name`, then migrates it; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  const url = adminUrl(name);
  const dataSource = await openDatabase(
    dataSourceOptions(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' })),
    true,
  );
  await dataSource.destroy();
  return url;
}

/**
 * Node's arguments to run a process as `npm start` does (its ROLE in the environment): the built JavaScript (each
 * bench:* script builds first) with the same flags. Not ts-node: it loads `domain`,
 * which puts every EventEmitter.emit of the process through a wrapper.
 */
export function appArgs(nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, '--max-semi-space-size=32', 'dist/apps/all/src/main.js'];
}

/** Starts the API (ROLE=api) as a separate process, so the load generator does not share its event loop. */
export async function startApiProcess(
  env: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const child: ChildProcess = spawn(process.execPath, appArgs(), {
    cwd: ROOT,
    env: environmentWith({
      ROLE: 'api',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      ...env,
    }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('API did not become healthy within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/**
 * Loads each target in turn, `rounds` times over (interleaved, so that a slow
 * moment of the machine does not fall on one target only), after a warm-up, and
 * reports the median of each figure across rounds.
 */
export async function loadRounds(
  targets: Target[],
  { rounds = 3, connections = 10, durationSeconds = 6 } = {},
): Promise<LoadResult[]> {
  for (const t of targets) await autocannon({ url: t.url, headers: t.headers, connections, duration: 2 });
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const t of targets) runs.get(t.name)?.push(await loadOnce(t, connections, durationSeconds));
  }
  return targets.map((t) => medianOf(t.name, runs.get(t.name) ?? []));
}

function medianOf(name: string, results: LoadResult[]): LoadResult {
  const median = (pick: (r: LoadResult) => number): number => {
    const sorted = results.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  return {
    name,
    requestsPerSecond: median((r) => r.requestsPerSecond),
    p50: median((r) => r.p50),
    p95: median((r) => r.p95),
    p99: median((r) => r.p99),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
  };
}

async function loadOnce(t: Target, connections: number, durationSeconds: number): Promise<LoadResult> {
  const { name, url, headers } = t;
  const r = await autocannon({ url, headers, connections, duration: durationSeconds });
  return {
    name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p95: percentile95(r),
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

// autocannon reports p90 and p97.5, not p95; interpolate between them.
function percentile95(r: autocannon.Result): number {
  return r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * (95 - 90)) / (97.5 - 90);
}

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function printTable(rows: LoadResult[]): void {
  console.log('\n| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p95.toFixed(1)} | ${r.p99} | ${r.errors} | ${r.non2xx} |`,
    );
  }
}
