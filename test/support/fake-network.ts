import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An answer a test makes a fake network give in place of its own. */
export interface Fault {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a fake network answers a request with. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  redirect?: string;
}

/**
 * The part every fake network shares: a local HTTP server, and the faults a test
 * injects by route (`METHOD /path` for Mastodon, the NSID for Bluesky): the next
 * answers given instead of the real ones, or answers lost after the work is done
 * (the socket dropped, as when a network answers and the connection dies).
 */
export abstract class FakeNetwork {
  url = '';
  private server!: Server;
  private readonly faults = new Map<string, Fault[]>();
  private readonly dropAnswers = new Map<string, number>();

  /** The route a request counts as, for faults. */
  protected abstract routeOf(req: IncomingMessage, url: URL): string;

  /** The network's own answer. */
  protected abstract answer(req: IncomingMessage, url: URL, body: Buffer): Promise<FakeAnswer> | FakeAnswer;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: Error) =>
        send(res, { status: 500, body: { error: error.message } }),
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next answers to `route` are these, in order (then the real ones again). */
  failNext(route: string, ...faults: Fault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  /** The next `times` requests to `route` are carried out, but their answer is lost. */
  loseAnswers(route: string, times = 1): void {
    this.dropAnswers.set(route, times);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const route = this.routeOf(req, url);
    const fault = this.faults.get(route)?.shift();
    if (fault) return send(res, fault);
    const answer = await this.answer(req, url, body);
    const drops = this.dropAnswers.get(route) ?? 0;
    if (drops > 0) {
      this.dropAnswers.set(route, drops - 1);
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: FakeAnswer): void {
  if (answer.redirect) {
    res.writeHead(302, { location: answer.redirect });
    res.end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}

/** A 1×1 PNG, served as a post's image. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Where a post's media and links live: `/spring.png` (the PNG), `/huge.png` (1.2 MB),
 * `/spring.html` (a page with Open Graph tags); anything else 404.
 */
export async function startMediaFiles(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === '/spring.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<html><head><meta property="og:title" content="Spring menu &amp; more"><meta property="og:description" content="Lattes and croissants"></head></html>',
      );
      return;
    }
    const huge = req.url === '/huge.png';
    if (req.url === '/spring.png' || huge) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(huge ? Buffer.alloc(1_200_000, 1) : PNG);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
