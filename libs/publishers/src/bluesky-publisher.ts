import { createHash } from 'node:crypto';
import { findFacets, textAsSent, type Facet, type StrongRef } from '@app/domain';
import { linkCardOf } from './link-card';
import { fetchMedia } from './media';
import { exhaustedUntil, NetworkApi } from './network-api';
import type { OutboundHttp, RawAnswer } from './outbound-http';
import {
  CredentialsRejected,
  PublishError,
  RateLimited,
  type MentionSource,
  type MentionsRead,
  type NetworkAccount,
  type NetworkMention,
  type Publisher,
  type PublishRequest,
  type PublishResult,
  type TakedownRequest,
} from './publisher';

/** What a Bluesky channel's sealed credentials hold: the app password, and the session it opened. */
export interface BlueskyCredentials {
  identifier: string;
  appPassword: string;
  session?: { did: string; handle: string; accessJwt: string; refreshJwt: string };
}

type Session = NonNullable<BlueskyCredentials['session']>;

const POST = 'app.bsky.feed.post';
/** app.bsky.embed.images: at most 4 images of at most 1,000,000 bytes each. */
const MAX_IMAGES = 4;
const MAX_IMAGE_BYTES = 1_000_000;
const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * The record key of a post version: a TID (13 characters, base32-sortable, what
 * app.bsky.feed.post records use) made from the post's creation time and a hash of
 * `<postId>-v<version>` rather than the clock, so every try writes the same record
 * and a retry after a lost answer finds it there instead of posting twice.
 */
export function recordKeyOf(idempotencyKey: string, createdAt: Date): string {
  const hash = createHash('sha256').update(idempotencyKey).digest();
  const micros = BigInt(createdAt.getTime()) * 1000n + BigInt(hash.readUInt16BE(0) % 1000);
  const clockId = BigInt(hash.readUInt16BE(2) % 1024);
  let n = (micros << 10n) | clockId;
  let key = '';
  for (let i = 0; i < 13; i += 1) {
    key = TID_ALPHABET[Number(n & 31n)] + key;
    n >>= 5n;
  }
  return key;
}

/** Notifications that speak to the account: a mention, a reply to one of its posts, a quote of one. */
const MENTION_REASONS = ['mention', 'reply', 'quote'];
/** listNotifications' largest page. */
const PAGE = 100;

export interface BlueskyNotification {
  uri: string;
  cid: string;
  author: { did: string; handle: string; displayName?: string };
  reason: string;
  record: {
    text?: unknown;
    createdAt?: unknown;
    langs?: unknown;
    reply?: { root?: Partial<StrongRef>; parent?: Partial<StrongRef> };
    embed?: { record?: { uri?: unknown; record?: { uri?: unknown } } };
  };
  indexedAt: string;
}

const isStrongRef = (r: Partial<StrongRef> | undefined): r is StrongRef =>
  typeof r?.uri === 'string' && typeof r.cid === 'string';

/** The at:// URI's record key. */
const rkeyOf = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

/**
 * Publishes to Bluesky (any AT Protocol PDS) through its XRPC API: a session from
 * createSession (handle and app password), renewed with refreshSession and kept
 * (sealed) through `saveCredentials`; the post is createRecord of app.bsky.feed.post
 * at the version's own record key, with facets at UTF-8 byte offsets, images by
 * uploadBlob with alt text, or a link card. Takedown is deleteRecord.
 */
export class BlueskyPublisher implements Publisher, MentionSource {
  private readonly api: NetworkApi;

  constructor(
    private readonly http: OutboundHttp,
    service: string,
    private credentials: BlueskyCredentials,
    private readonly timeoutMs: number,
    private readonly saveCredentials: (credentials: BlueskyCredentials) => Promise<void>,
  ) {
    this.api = new NetworkApi(http, 'Bluesky', service, timeoutMs);
  }

  async publish(request: PublishRequest): Promise<PublishResult> {
    const rkey = recordKeyOf(request.idempotencyKey, new Date(request.createdAt));
    return this.withSession(async (session) => {
      const record = await this.record(request, session);
      const answer = await this.xrpc('POST', 'com.atproto.repo.createRecord', session, {
        json: { repo: session.did, collection: POST, rkey, record },
      });
      if (answer.status >= 200 && answer.status < 300) {
        const { uri } = JSON.parse(answer.body.toString('utf8')) as { uri: string };
        return { ...this.published(session, uri, answer.status), holdUntil: exhaustedUntil(answer.headers) };
      }
      const refusal = this.api.refusal(answer);
      if (refusal instanceof RateLimited || refusal instanceof CredentialsRejected || isTokenError(answer)) {
        throw refusal;
      }
      // A record at this key already: an earlier try made it and its answer was lost
      // (a PDS answers the second write there with a 500), or this try's own write
      // went through before the error.
      const existing = await this.xrpc('GET', 'com.atproto.repo.getRecord', session, {
        query: { repo: session.did, collection: POST, rkey },
      });
      if (existing.status === 200) {
        const { uri } = JSON.parse(existing.body.toString('utf8')) as { uri: string };
        return this.published(session, uri, existing.status);
      }
      throw refusal;
    });
  }

  async unpublish(request: TakedownRequest): Promise<void> {
    if (!request.externalId) throw new PublishError('the post has no Bluesky record to delete', false);
    const uri = request.externalId;
    await this.withSession(async (session) => {
      const answer = await this.xrpc('POST', 'com.atproto.repo.deleteRecord', session, {
        json: { repo: session.did, collection: POST, rkey: rkeyOf(uri) },
      });
      if (answer.status >= 200 && answer.status < 300) return;
      throw this.api.refusal(answer);
    });
  }

  /**
   * The mentions, replies and quotes indexed since `cursor` (an indexedAt time),
   * oldest first. listNotifications pages from the newest back, so the pages are read
   * until one reaches the cursor (at most `pages`; without a cursor, the newest page
   * only), and the newest time read is where the next read goes on from. A
   * notification indexed at the cursor's very time is read again: stored once anyway.
   */
  async mentionsAfter(cursor: string | null, pages: number): Promise<MentionsRead> {
    return this.withSession(async (session) => {
      const found: BlueskyNotification[] = [];
      let page: string | undefined;
      for (let read = 0; read < (cursor ? pages : 1); read += 1) {
        const answer = await this.xrpc('GET', 'app.bsky.notification.listNotifications', session, {
          query: { reasons: MENTION_REASONS, limit: String(PAGE), ...(page ? { cursor: page } : {}) },
        });
        if (answer.status !== 200) throw this.api.refusal(answer);
        const body = JSON.parse(answer.body.toString('utf8')) as {
          cursor?: string;
          notifications: BlueskyNotification[];
        };
        const fresh = body.notifications.filter((n) => !cursor || n.indexedAt >= cursor);
        found.push(...fresh);
        if (fresh.length < body.notifications.length || !body.cursor) break;
        page = body.cursor;
      }
      const mentions = found
        .filter((n) => MENTION_REASONS.includes(n.reason))
        .map((n) => mentionOf(n))
        .reverse();
      const newest = found.reduce<string | null>(
        (t, n) => (t === null || n.indexedAt > t ? n.indexedAt : t),
        cursor,
      );
      return { mentions, cursor: newest };
    });
  }

  /** Opens a session with the app password: who it acts as. A wrong password is CredentialsRejected. */
  async verify(): Promise<NetworkAccount> {
    const session = await this.createSession();
    return {
      accountId: session.did,
      handle: `@${session.handle}`,
      url: `https://bsky.app/profile/${session.handle}`,
    };
  }

  private published(session: Session, uri: string, statusCode: number): PublishResult {
    return {
      externalId: uri,
      url: `https://bsky.app/profile/${session.handle}/post/${rkeyOf(uri)}`,
      statusCode,
    };
  }

  /** The app.bsky.feed.post record of the request. */
  private async record(request: PublishRequest, session: Session): Promise<Record<string, unknown>> {
    const text = textAsSent('bluesky', request);
    const facets = await this.resolvedFacets(findFacets(text), session);
    let embed: Record<string, unknown> | undefined;
    if (request.mediaUrls.length > 0) {
      if (request.mediaUrls.length > MAX_IMAGES) {
        throw new PublishError(
          `Bluesky takes at most ${MAX_IMAGES} images; the post has ${request.mediaUrls.length}`,
          false,
        );
      }
      const images = [];
      for (const [i, url] of request.mediaUrls.entries()) {
        images.push({ alt: request.mediaAlt[i] ?? '', image: await this.uploadBlob(url, session) });
      }
      embed = { $type: 'app.bsky.embed.images', images };
    } else if (request.link) {
      const { uri, title, description } = await linkCardOf(this.http, request.link, this.timeoutMs);
      embed = { $type: 'app.bsky.embed.external', external: { uri, title, description } };
    }
    return {
      $type: POST,
      text,
      createdAt: new Date().toISOString(),
      ...(facets.length > 0 ? { facets } : {}),
      ...(embed ? { embed } : {}),
      ...(request.language ? { langs: [request.language] } : {}),
      ...(request.replyTo?.network === 'bluesky'
        ? { reply: { root: request.replyTo.root, parent: request.replyTo.parent } }
        : {}),
    };
  }

  /** Facets as the lexicon writes them; a mention of a handle that does not resolve is left plain text. */
  private async resolvedFacets(found: Facet[], session: Session): Promise<object[]> {
    const facets: object[] = [];
    for (const facet of found) {
      const index = { byteStart: facet.byteStart, byteEnd: facet.byteEnd };
      if (facet.kind === 'link') {
        facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#link', uri: facet.uri }] });
      } else if (facet.kind === 'tag') {
        facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: facet.tag }] });
      } else {
        const answer = await this.xrpc('GET', 'com.atproto.identity.resolveHandle', session, {
          query: { handle: facet.handle },
        });
        if (answer.status !== 200) continue;
        const { did } = JSON.parse(answer.body.toString('utf8')) as { did: string };
        facets.push({ index, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] });
      }
    }
    return facets;
  }

  private async uploadBlob(url: string, session: Session): Promise<unknown> {
    const file = await fetchMedia(this.http, url, { maxBytes: MAX_IMAGE_BYTES, timeoutMs: this.timeoutMs });
    if (!file.contentType.startsWith('image/')) {
      throw new PublishError(`Bluesky posts take images; ${url} is ${file.contentType}`, false);
    }
    const answer = await this.xrpc('POST', 'com.atproto.repo.uploadBlob', session, {
      bytes: { data: file.data, contentType: file.contentType },
    });
    if (answer.status !== 200) throw this.api.refusal(answer);
    return (JSON.parse(answer.body.toString('utf8')) as { blob: unknown }).blob;
  }

  private xrpc(
    method: 'GET' | 'POST',
    nsid: string,
    session: Session,
    options: Parameters<NetworkApi['raw']>[2],
  ): Promise<RawAnswer> {
    return this.api.raw(method, `/xrpc/${nsid}`, { ...options, token: session.accessJwt });
  }

  /**
   * Runs `work` in the channel's session: opened with the app password when there is
   * none, refreshed once the access token has expired (and opened again when the
   * refresh token has too). A password the network refuses is CredentialsRejected.
   */
  private async withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = this.credentials.session ?? (await this.createSession());
    try {
      return await work(session);
    } catch (error) {
      if (!(error instanceof PublishError) || !isExpiry(error)) throw error;
    }
    return work(await this.refreshSession(session));
  }

  private async createSession(): Promise<Session> {
    const { data } = await this.api.call<Session>('POST', '/xrpc/com.atproto.server.createSession', {
      json: { identifier: this.credentials.identifier, password: this.credentials.appPassword },
    });
    return this.keep(data);
  }

  private async refreshSession(session: Session): Promise<Session> {
    const answer = await this.api.raw('POST', '/xrpc/com.atproto.server.refreshSession', {
      token: session.refreshJwt,
    });
    if (answer.status === 200) return this.keep(JSON.parse(answer.body.toString('utf8')) as Session);
    if (answer.status === 400 || answer.status === 401) return this.createSession();
    throw this.api.refusal(answer);
  }

  private async keep(data: Session): Promise<Session> {
    const session = {
      did: data.did,
      handle: data.handle,
      accessJwt: data.accessJwt,
      refreshJwt: data.refreshJwt,
    };
    this.credentials = { ...this.credentials, session };
    await this.saveCredentials(this.credentials);
    return session;
  }
}

/** An XRPC answer saying the access token expired or is no longer good: refresh, not reconnect. */
function isTokenError(answer: RawAnswer): boolean {
  try {
    const { error } = JSON.parse(answer.body.toString('utf8')) as { error?: string };
    return error === 'ExpiredToken' || error === 'InvalidToken';
  } catch {
    return false;
  }
}

/** A refusal made of an expired or invalid access token (400 ExpiredToken, or 401 on an old session). */
function isExpiry(error: PublishError): boolean {
  return /ExpiredToken|InvalidToken/.test(error.message) || error instanceof CredentialsRejected;
}

/** A listNotifications entry as a mention: a reply answers its parent, a quote the post it quotes. */
export function mentionOf(n: BlueskyNotification): NetworkMention {
  const self = { uri: n.uri, cid: n.cid };
  const { record } = n;
  const quoted = record.embed?.record?.uri ?? record.embed?.record?.record?.uri;
  const createdAt = typeof record.createdAt === 'string' ? new Date(record.createdAt) : new Date(n.indexedAt);
  return {
    externalId: n.uri,
    authorHandle: `@${n.author.handle}`,
    authorName: n.author.displayName || null,
    text: typeof record.text === 'string' ? record.text : '',
    url: `https://bsky.app/profile/${n.author.handle}/post/${rkeyOf(n.uri)}`,
    createdAt: Number.isNaN(createdAt.getTime()) ? new Date(n.indexedAt) : createdAt,
    inReplyTo: record.reply?.parent?.uri ?? (typeof quoted === 'string' ? quoted : null),
    language: Array.isArray(record.langs) && typeof record.langs[0] === 'string' ? record.langs[0] : null,
    // A reply to a post in a thread joins that thread: its root stays the thread's root.
    replyRef: {
      network: 'bluesky',
      parent: self,
      root: isStrongRef(record.reply?.root) ? record.reply.root : self,
    },
  };
}
