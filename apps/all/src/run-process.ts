import { ConfigError, loadConfig, type AppConfig } from '@app/config';
import type { INestApplicationContext } from '@nestjs/common';
import { createApiApp } from '../../api/src/create-api-app';
import { createWorkerApp } from '../../worker/src/create-worker-app';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

const say = (level: string, msg: string) => console.error(JSON.stringify({ level, msg }));

/**
 * Starts what ROLE asks for (API, worker, or both in one process) and closes them in
 * order on SIGTERM/SIGINT: the API stops taking requests, then the worker finishes
 * its in-flight jobs. One handler for the process, so two apps never race to exit.
 * A stop is bounded: past SHUTDOWN_GRACE_MS (Redis or PostgreSQL may not answer the
 * closing calls) the process exits anyway, and a second signal exits at once. What
 * was claimed is not lost: a post left `publishing` is the reconciler's.
 */
export function runProcess(config: AppConfig): void {
  const running: INestApplicationContext[] = [];
  let stopping = false;
  let starting: Promise<void> = Promise.resolve();

  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      say('warn', `${signal} received again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    say('info', `${signal} received, shutting down (at most ${config.shutdownGraceMs} ms)`);
    setTimeout(() => {
      say('warn', `still closing after ${config.shutdownGraceMs} ms, exiting`);
      process.exit(1);
    }, config.shutdownGraceMs);
    // A stop while starting waits for the start (within the grace): an app still being
    // made is not in `running` yet, and would be left open while we said all was closed.
    await starting;
    for (const app of running) {
      await app.close().catch((error: unknown) => say('error', `closing failed: ${String(error)}`));
    }
    process.exit(0);
  };
  for (const signal of SIGNALS) process.on(signal, (s) => void stop(s));

  const start = async (): Promise<void> => {
    if (config.role !== 'worker') {
      const api = await createApiApp(config);
      running.push(api);
      await api.listen(config.port, config.host);
      say('info', `API listening on ${await api.getUrl()} (docs at ${config.publicUrl}/docs)`);
    }
    if (config.role !== 'api') running.push(await createWorkerApp(config));
  };

  starting = start().catch((error: unknown) => {
    // Config errors name the variable; anything else is a stack trace worth reading.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}

/** Loads the configuration and runs; a bad value exits 1 naming it. */
export function runFromEnvironment(): void {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  runProcess(config);
}
