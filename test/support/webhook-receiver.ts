import { createServer, type IncomingMessage, type Server } from 'node:http';
import { signBody } from '@app/publishers';

export interface Received {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  signatureValid: boolean;
}

/** How the receiver answers the n-th request (0-based) of an idempotency key. */
export type Behaviour = (
  n: number,
  r: Received,
) => { status: number; delayMs?: number; hang?: boolean; body?: string };

/**
 * A real HTTP server playing the social network: it checks the signature, records
 * every request, and answers as the test says (status codes, delays, hanging).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  behaviour: Behaviour = () => ({ status: 200 });
  private server: Server | undefined;
  private readonly waiters: Array<() => void> = [];
  private readonly hung = new Set<() => void>();
  url = '';

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const r: Received = {
          at: Date.now(),
          path: req.url ?? '',
          headers: req.headers,
          raw,
          body: raw ? JSON.parse(raw) : null,
          signatureValid: req.headers['x-countersign-signature'] === signBody(raw, this.secret),
        };
        const key = String(req.headers['idempotency-key'] ?? '');
        const n = this.received.filter((x) => x.headers['idempotency-key'] === key).length;
        this.received.push(r);
        this.waiters.splice(0).forEach((w) => w());
        const { status, delayMs = 0, hang, body } = this.behaviour(n, r);
        if (hang) {
          const release = () => res.destroy();
          this.hung.add(release);
          return;
        }
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(
            body ??
              JSON.stringify(
                status < 300
                  ? { externalId: `ext-${key}`, url: `https://social.example/${key}` }
                  : { error: 'nope' },
              ),
          );
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`;
    return this;
  }

  forPost(postId: string): Received[] {
    return this.received.filter((r) => r.body?.postId === postId);
  }

  /** Resolves at the next request (or at once if `ready` already holds). */
  async until(ready: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the receiver');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(0, Math.min(250, deadline - Date.now())));
      });
    }
  }

  async stop(): Promise<void> {
    this.hung.forEach((release) => release());
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
