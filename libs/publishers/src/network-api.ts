import type { FormData } from 'undici';
import { OutboundRefused, type OutboundHttp, type RawAnswer } from './outbound-http';
import { CredentialsRejected, PublishError, RateLimited } from './publisher';

/** How long a rate-limited channel waits when the network gives no reset time. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
/** A network's own message is kept to this many characters. */
const MAX_MESSAGE = 300;

export interface CallOptions {
  json?: unknown;
  form?: FormData;
  bytes?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
  token?: string;
  /** an array is sent as the name repeated (XRPC's arrays) */
  query?: Record<string, string | readonly string[]>;
}

/** A network's answer that was a success (2xx), its body parsed as JSON. */
export interface Ok<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/**
 * When a 429 says the limit resets: `Retry-After` (seconds or a date), Mastodon's
 * `X-RateLimit-Reset` (an ISO date) or Bluesky's `RateLimit-Reset` (Unix seconds).
 */
export function retryAtOf(headers: Record<string, string>, now = Date.now()): Date {
  const retryAfter = headers['retry-after'];
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) return new Date(at);
  }
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (reset) {
    const n = Number(reset);
    const at = Number.isFinite(n) ? (n > 1e9 ? n * 1000 : now + n * 1000) : Date.parse(reset);
    if (Number.isFinite(at)) return new Date(Math.max(at, now));
  }
  return new Date(now + DEFAULT_RATE_LIMIT_WAIT_MS);
}

/** When an answer says the rate limit is used up (`X-RateLimit-Remaining: 0`), until its reset; else null. */
export function exhaustedUntil(headers: Record<string, string>): Date | null {
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  return remaining !== undefined && Number(remaining) <= 0 ? retryAtOf(headers) : null;
}

/** The network's own words from an error body (`error`, `message`, `error_description`). */
function messageOf(body: Buffer): string {
  try {
    const said = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const parts = [said.error, said.message, said.error_description].filter(
      (p): p is string => typeof p === 'string' && p.length > 0,
    );
    return parts.join(': ').slice(0, MAX_MESSAGE);
  } catch {
    return '';
  }
}

/**
 * JSON calls to one network's API, answers mapped onto the publishing outcomes the
 * same way for every network: 2xx ok; 401/403 the credentials are refused; 429
 * rate limited until the reset the network gives; 408 and 5xx worth retrying;
 * any other 4xx a refusal of the content, with the network's own message.
 */
export class NetworkApi {
  constructor(
    private readonly http: OutboundHttp,
    readonly network: string,
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: CallOptions = {}): Promise<Ok<T>> {
    const answer = await this.raw(method, path, options);
    if (answer.status >= 200 && answer.status < 300) {
      const text = answer.body.toString('utf8');
      return { status: answer.status, headers: answer.headers, data: (text ? JSON.parse(text) : {}) as T };
    }
    throw this.refusal(answer);
  }

  /** The answer whatever its status, for the few calls that read a refusal themselves. */
  async raw(method: 'GET' | 'POST' | 'DELETE', path: string, options: CallOptions = {}): Promise<RawAnswer> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      for (const one of typeof value === 'string' ? [value] : value) url.searchParams.append(name, one);
    }
    const headers: Record<string, string> = { 'user-agent': 'Countersign/1', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | FormData | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      body = options.form;
    } else if (options.bytes) {
      body = options.bytes.data;
      headers['content-type'] = options.bytes.contentType;
    }
    try {
      return await this.http.send({ method, url, headers, body, timeoutMs: this.timeoutMs });
    } catch (error) {
      throw unreachable(this.network, error);
    }
  }

  /** What a non-2xx answer means for the post. */
  refusal(answer: RawAnswer): PublishError {
    const said = messageOf(answer.body);
    const what = `${this.network} answered ${answer.status}${said ? `: ${said}` : ''}`;
    if (answer.status === 401 || answer.status === 403) return new CredentialsRejected(what, answer.status);
    if (answer.status === 429) return new RateLimited(what, retryAtOf(answer.headers));
    const retryable = answer.status === 408 || answer.status >= 500;
    return new PublishError(what, retryable, answer.status);
  }
}

/** A call that got no answer: worth retrying, unless the address is one the policy refuses. */
export function unreachable(network: string, error: unknown): PublishError {
  if (error instanceof PublishError) return error;
  if (error instanceof OutboundRefused || (error as { cause?: unknown }).cause instanceof OutboundRefused) {
    return new PublishError(`${network}: refused, the address is internal (OUTBOUND_ALLOWED_HOSTS)`, false);
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const why =
    (error as Error).name === 'AbortError' || /no answer within/.test(String(error)) ? 'timed out' : code;
  return new PublishError(`${network} unreachable${why ? ` (${why})` : ''}`, true);
}
