import { lookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, type Dispatcher, type FormData } from 'undici';
import type { OutboundPolicy } from './outbound-policy';

/** A receiver's answer: its status and the start of its body. */
export interface Answer {
  status: number;
  body: string;
}

/** One call out, of any method; a body of FormData goes as multipart/form-data. */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  body?: string | Buffer | FormData;
  timeoutMs: number;
  /** more of the answer than this is not read (default 64 KiB) */
  maxBytes?: number;
}

/** A full answer: status, headers (lower-case names) and body bytes, cut at maxBytes. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** the body was longer than maxBytes */
  cut: boolean;
}

/** The policy said no: the receiver is (or resolves to) an internal address. */
export class OutboundRefused extends Error {
  constructor(host: string) {
    super(`${host} is a loopback, private or link-local address, not listed in OUTBOUND_ALLOWED_HOSTS`);
    this.name = 'OutboundRefused';
  }
}

/** More of a receiver's answer than this is not kept (it is only read for externalId and url). */
const MAX_ANSWER_BYTES = 64 * 1024;

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Outbound POSTs for publishers and webhooks, through one pool of keep-alive
 * connections (undici's Agent: measured here at about half node:http's CPU per
 * request, a fifth of fetch's). Each connection's name is resolved by a lookup that
 * refuses internal addresses, so the check is on the address actually connected
 * to: a name that resolves elsewhere later (DNS rebinding) is caught then.
 * Redirects are not followed.
 */
export class OutboundHttp {
  private readonly agent: Agent;

  constructor(readonly policy: OutboundPolicy) {
    this.agent = new Agent({ connections: 256, connect: { lookup: this.guardedLookup } });
  }

  /** One POST, answered in full within `timeoutMs` or rejected. */
  async post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
    const answer = await this.send({ method: 'POST', url, headers, body, timeoutMs });
    return { status: answer.status, body: answer.body.toString('utf8') };
  }

  /** One call, answered (up to `maxBytes` of its body) within `timeoutMs`, or rejected. */
  async send(request: OutboundRequest): Promise<RawAnswer> {
    const { url, timeoutMs } = request;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${url.protocol} is not http or https`);
    }
    // A literal address is connected to without a lookup: checked here instead.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.policy.allows(host, host)) throw new OutboundRefused(host);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const answer = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: abort.signal,
      });
      const { body, cut } = await readCapped(answer.body, request.maxBytes ?? MAX_ANSWER_BYTES);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: answer.statusCode, headers, body, cut };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called by Nest when the app closes: open connections are let go. */
  onApplicationShutdown(): Promise<void> {
    return this.agent.close();
  }

  private readonly guardedLookup = (
    hostname: string,
    options: LookupOptions,
    callback: LookupCallback,
  ): void => {
    lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
      if (error) return callback(error, []);
      // One internal address among the answers is enough to refuse the name.
      if (addresses.length === 0 || addresses.some((a) => !this.policy.allows(hostname, a.address))) {
        return callback(new OutboundRefused(hostname), []);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The answer's body up to `max` bytes; a longer one is cut off there and its connection dropped. */
function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
): Promise<{ body: Buffer; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (cut: boolean) => resolve({ body: Buffer.concat(chunks), cut });
    body.on('data', (chunk: Buffer) => {
      if (size + chunk.length > max) {
        chunks.push(chunk.subarray(0, max - size));
        done(true);
        body.destroy();
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    });
    body.on('end', () => done(false));
    body.on('error', reject);
  });
}
