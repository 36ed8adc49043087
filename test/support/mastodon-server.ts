import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeNetwork, type FakeAnswer } from './fake-network';

/**
 * A Mastodon instance as far as Countersign talks to one, written from the API
 * reference (docs.joinmastodon.org): apps, OAuth with PKCE, verify_credentials,
 * instance limits, media (202 while processing, 206 from GET until ready),
 * statuses with Idempotency-Key (the same status for a key seen before), 422 for
 * text over the limit, 401 for a revoked token, 429 with X-RateLimit-* headers,
 * DELETE of a status, and mention notifications. Faults are injected by the test.
 */
export interface Status {
  id: string;
  text: string;
  mediaIds: string[];
  visibility: string;
  spoilerText: string;
  language: string | null;
  inReplyToId: string | null;
  idempotencyKey: string | null;
  deleted: boolean;
}

export interface Media {
  id: string;
  bytes: number;
  contentType: string;
  description: string | null;
  /** GETs left that answer 206 (processing) */
  pollsLeft: number;
}

interface App {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export class MastodonServer extends FakeNetwork {
  readonly statuses: Status[] = [];
  readonly media = new Map<string, Media>();
  readonly apps: App[] = [];
  readonly requests: Array<{ method: string; path: string; authorization?: string }> = [];
  readonly tokens = new Set<string>();
  readonly notifications: Array<Record<string, unknown> & { id: string }> = [];
  maxCharacters = 500;
  /** how many GETs of a new upload answer 206 before it is ready */
  mediaPolls = 0;
  /** statuses the account may still post in this window (unlimited unless set), and when it resets */
  statusesLeft = Infinity;
  windowResetsAt = new Date();
  /** 429s answered because the window was used up */
  limited = 0;
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; challenge: string }>();
  private next = 100;

  constructor(readonly account = { id: '1', username: 'acme', displayName: 'Acme' }) {
    super();
  }

  /** A token as an app of the user's own would hold (Preferences > Development). */
  issueToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return token;
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Someone mentions the account (a mention notification, ids rising as the instance's do). */
  mention(from: string, text: string, inReplyToId: string | null = null): string {
    const id = String(this.next++);
    this.notifications.push({
      id,
      type: 'mention',
      created_at: new Date().toISOString(),
      account: { acct: from, display_name: from.split('@')[0] },
      status: {
        id: `s${id}`,
        content: `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
        url: `${this.url}/@${from.split('@')[0]}/s${id}`,
        created_at: new Date().toISOString(),
        in_reply_to_id: inReplyToId,
        language: 'en',
      },
    });
    return id;
  }

  live(): Status[] {
    return this.statuses.filter((s) => !s.deleted);
  }

  /** `METHOD /path`, a trailing id as `:id`. */
  protected routeOf(req: IncomingMessage, url: URL): string {
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
    });
    return `${req.method} ${url.pathname.replace(/\/\d+$/, '/:id')}`;
  }

  protected async answer(req: IncomingMessage, url: URL, raw: Buffer): Promise<FakeAnswer> {
    const path = url.pathname;
    const method = req.method;
    if (method === 'POST' && path === '/api/v1/apps') {
      const form = parseForm(req, raw);
      const app = {
        clientId: randomBytes(16).toString('hex'),
        clientSecret: randomBytes(16).toString('hex'),
        redirectUris: String(form.redirect_uris ?? '').split(/\s+/),
      };
      this.apps.push(app);
      return {
        status: 200,
        body: {
          id: String(this.next++),
          name: form.client_name,
          client_id: app.clientId,
          client_secret: app.clientSecret,
          redirect_uri: app.redirectUris.join('\n'),
        },
      };
    }
    if (method === 'GET' && path === '/oauth/authorize') {
      // The person said yes on the instance's page: back to the app with a code.
      const app = this.apps.find((a) => a.clientId === url.searchParams.get('client_id'));
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (!app || !app.redirectUris.includes(redirectUri))
        return { status: 400, body: { error: 'invalid_client' } };
      if (url.searchParams.get('code_challenge_method') !== 'S256') {
        return { status: 400, body: { error: 'invalid_request' } };
      }
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, {
        clientId: app.clientId,
        redirectUri,
        challenge: url.searchParams.get('code_challenge') ?? '',
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, redirect: back.href };
    }
    if (method === 'POST' && path === '/oauth/token') {
      const form = parseForm(req, raw);
      const grant = this.codes.get(String(form.code));
      const app = this.apps.find(
        (a) => a.clientId === form.client_id && a.clientSecret === form.client_secret,
      );
      const verifier = String(form.code_verifier ?? '');
      if (
        !grant ||
        !app ||
        grant.clientId !== app.clientId ||
        grant.redirectUri !== form.redirect_uri ||
        createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
      ) {
        return { status: 400, body: { error: 'invalid_grant' } };
      }
      this.codes.delete(String(form.code));
      return {
        status: 200,
        body: {
          access_token: this.issueToken(),
          token_type: 'Bearer',
          scope: form.scope ?? 'read write',
          created_at: Math.floor(Date.now() / 1000),
        },
      };
    }
    if (method === 'GET' && path === '/api/v2/instance') {
      return {
        status: 200,
        body: {
          domain: url.host,
          configuration: {
            statuses: { max_characters: this.maxCharacters, characters_reserved_per_url: 23 },
            media_attachments: { image_size_limit: 16777216 },
          },
        },
      };
    }
    if (!this.tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return { status: 401, body: { error: 'The access token is invalid' } };
    }
    if (method === 'GET' && path === '/api/v1/notifications') {
      // Newest first; min_id: the page just after that id, as the docs describe it.
      const types = url.searchParams.getAll('types[]');
      const minId = Number(url.searchParams.get('min_id') ?? 0);
      const limit = Math.min(80, Number(url.searchParams.get('limit') ?? 40));
      const page = this.notifications
        .filter((n) => (types.length === 0 || types.includes(String(n.type))) && Number(n.id) > minId)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .slice(0, limit)
        .reverse();
      return { status: 200, body: page };
    }
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials') {
      const { id, username, displayName } = this.account;
      return {
        status: 200,
        body: { id, username, acct: username, display_name: displayName, url: `${this.url}/@${username}` },
      };
    }
    if (method === 'POST' && path === '/api/v2/media') {
      const form = await new Request(this.url, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: raw,
      }).formData();
      const file = form.get('file');
      if (!(file instanceof Blob))
        return { status: 422, body: { error: 'Validation failed: File is missing' } };
      const media: Media = {
        id: String(this.next++),
        bytes: file.size,
        contentType: file.type,
        description: (form.get('description') as string | null) ?? null,
        pollsLeft: this.mediaPolls,
      };
      this.media.set(media.id, media);
      return { status: media.pollsLeft > 0 ? 202 : 200, body: this.mediaView(media) };
    }
    const mediaId = /^\/api\/v1\/media\/(\d+)$/.exec(path)?.[1];
    if (method === 'GET' && mediaId) {
      const media = this.media.get(mediaId);
      if (!media) return { status: 404, body: { error: 'Record not found' } };
      if (media.pollsLeft > 0) {
        media.pollsLeft -= 1;
        return { status: 206, body: this.mediaView(media) };
      }
      return { status: 200, body: this.mediaView(media) };
    }
    if (method === 'POST' && path === '/api/v1/statuses') {
      if (this.statusesLeft <= 0 && Date.now() < this.windowResetsAt.getTime()) {
        this.limited += 1;
        return { status: 429, body: { error: 'Too many requests' }, headers: this.rateHeaders() };
      }
      const input = JSON.parse(raw.toString('utf8')) as Record<string, string | string[] | undefined>;
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      const seen = key ? this.statuses.find((s) => s.idempotencyKey === key) : undefined;
      if (seen) return { status: 200, body: this.statusView(seen) };
      const text = String(input.status ?? '');
      // StatusLengthValidator counts the content warning with the text.
      if ([...String(input.spoiler_text ?? ''), ...text].length > this.maxCharacters) {
        return {
          status: 422,
          body: { error: `Validation failed: Text character limit of ${this.maxCharacters} exceeded` },
        };
      }
      const mediaIds = (input.media_ids as string[] | undefined) ?? [];
      if (mediaIds.some((id) => !this.media.has(id) || this.media.get(id)!.pollsLeft > 0)) {
        return {
          status: 422,
          body: { error: 'Cannot attach files that have not finished processing. Try again in a moment!' },
        };
      }
      // Replying to a status the instance does not know is a 404, as ActiveRecord's RecordNotFound.
      const replyTo = (input.in_reply_to_id as string | undefined) ?? null;
      const known = (id: string) =>
        this.statuses.some((s) => s.id === id && !s.deleted) ||
        this.notifications.some((n) => (n.status as { id: string } | undefined)?.id === id);
      if (replyTo !== null && !known(replyTo)) return { status: 404, body: { error: 'Record not found' } };
      const status: Status = {
        id: String(this.next++),
        text,
        mediaIds,
        visibility: String(input.visibility ?? 'public'),
        spoilerText: String(input.spoiler_text ?? ''),
        language: (input.language as string | undefined) ?? null,
        inReplyToId: (input.in_reply_to_id as string | undefined) ?? null,
        idempotencyKey: key,
        deleted: false,
      };
      this.statuses.push(status);
      if (Number.isFinite(this.statusesLeft)) this.statusesLeft -= 1;
      return { status: 200, body: this.statusView(status), headers: this.rateHeaders() };
    }
    const statusId = /^\/api\/v1\/statuses\/(\d+)$/.exec(path)?.[1];
    if (method === 'DELETE' && statusId) {
      const status = this.statuses.find((s) => s.id === statusId && !s.deleted);
      if (!status) return { status: 404, body: { error: 'Record not found' } };
      status.deleted = true;
      return { status: 200, body: this.statusView(status) };
    }
    return { status: 404, body: { error: 'Record not found' } };
  }

  /** X-RateLimit-* as Mastodon sends them, once a window is set. */
  private rateHeaders(): Record<string, string> {
    if (!Number.isFinite(this.statusesLeft)) return {};
    return {
      'x-ratelimit-limit': '300',
      'x-ratelimit-remaining': String(Math.max(0, this.statusesLeft)),
      'x-ratelimit-reset': this.windowResetsAt.toISOString(),
    };
  }

  private mediaView(media: Media) {
    const ready = media.pollsLeft === 0;
    return {
      id: media.id,
      type: 'image',
      url: ready ? `${this.url}/system/media/${media.id}.png` : null,
      preview_url: `${this.url}/system/media/${media.id}-small.png`,
      description: media.description,
    };
  }

  private statusView(status: Status) {
    return {
      id: status.id,
      uri: `${this.url}/users/${this.account.username}/statuses/${status.id}`,
      url: `${this.url}/@${this.account.username}/${status.id}`,
      content: `<p>${status.text}</p>`,
      visibility: status.visibility,
      spoiler_text: status.spoilerText,
      language: status.language,
      in_reply_to_id: status.inReplyToId,
      media_attachments: status.mediaIds.map((id) => this.mediaView(this.media.get(id)!)),
    };
  }
}

/** The OAuth and apps endpoints take a form or JSON. */
function parseForm(req: IncomingMessage, raw: Buffer): Record<string, string | undefined> {
  const text = raw.toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) return JSON.parse(text) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(text));
}
