import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './app-process';
import { waitFor } from './wait-for';

/** A private redis-server for tests that must FLUSHALL without touching anyone else's keys. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    // Started again after a stop, it listens on the same port: a Redis restarted empty.
    this.port ||= await freePort();
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(
      async () => {
        const r = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        try {
          await r.connect();
          return (await r.ping()) === 'PONG' ? true : undefined;
        } finally {
          r.disconnect();
        }
      },
      { what: 'private redis-server' },
    );
    return this;
  }

  private shared: Redis | undefined;

  /** A client of this server, for looking at keys. */
  client(): Redis {
    this.shared ??= new Redis(this.url);
    return this.shared;
  }

  async flushAll(): Promise<void> {
    await this.client().flushall();
  }

  async stop(): Promise<void> {
    this.shared?.disconnect();
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
