import { ConfigError, loadConfig, type AppConfig } from '@app/config';
import type { INestApplicationContext } from '@nestjs/common';
import { createWorkerApp } from '../../worker/src/create-worker-app';
import { createApiApp } from './create-api-app';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Starts what ROLE asks for (API, worker, or both in one process) and closes them in
 * order on SIGTERM/SIGINT: the API stops taking requests, then the worker finishes
 * its in-flight jobs. One handler for the process, so two apps never race to exit.
 */
export function runProcess(config: AppConfig): void {
  const running: INestApplicationContext[] = [];
  let stopping = false;

  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.error(JSON.stringify({ level: 'info', msg: `${signal} received, shutting down` }));
    for (const app of running) await app.close();
    process.exit(0);
  };
  for (const signal of SIGNALS) process.on(signal, (s) => void stop(s));

  const start = async (): Promise<void> => {
    if (config.role !== 'worker') {
      const api = await createApiApp(config);
      running.push(api);
      await api.listen(config.port, config.host);
    }
    if (config.role !== 'api') running.push(await createWorkerApp(config));
  };

  start().catch((error: unknown) => {
    // Config errors name the variable; anything else is a stack trace worth reading.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}

/** Loads the configuration (plus fixed overrides such as ROLE) and runs; a bad value exits 1 naming it. */
export function runFromEnvironment(overrides: Record<string, string> = {}): void {
  let config: AppConfig;
  try {
    config = loadConfig(overrides);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  runProcess(config);
}
