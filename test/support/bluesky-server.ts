import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeNetwork, type FakeAnswer } from './fake-network';

/**
 * An AT Protocol PDS as far as Countersign talks to one, written from the XRPC
 * lexicons (com.atproto.server.createSession/refreshSession,
 * com.atproto.repo.createRecord/getRecord/deleteRecord/uploadBlob,
 * com.atproto.identity.resolveHandle, app.bsky.notification.listNotifications as
 * the PDS passes it on from the AppView): errors as `{error, message}`, an expired
 * access token as 400 ExpiredToken, a record key taken as 400 InvalidRequest, text
 * over 300 graphemes refused, 429 with RateLimit-* headers (reset in Unix seconds).
 */
export interface StoredRecord {
  rkey: string;
  collection: string;
  value: Record<string, unknown>;
  deleted: boolean;
}

export interface StrongRef {
  uri: string;
  cid: string;
}

interface Notification {
  uri: string;
  cid: string;
  author: { did: string; handle: string; displayName: string };
  reason: string;
  record: Record<string, unknown>;
  isRead: boolean;
  indexedAt: string;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export class BlueskyServer extends FakeNetwork {
  readonly did = 'did:plc:acmecoffee000000000000';
  readonly handle = 'acme.bsky.test';
  appPassword = 'abcd-efgh-ijkl-mnop';
  readonly records: StoredRecord[] = [];
  readonly blobs = new Map<string, { mimeType: string; size: number }>();
  readonly requests: Array<{ method: string; nsid: string }> = [];
  /** handles that resolve, to their DIDs */
  readonly handles = new Map<string, string>([['lee.bsky.test', 'did:plc:lee00000000000000000000']]);
  readonly notifications: Notification[] = [];
  sessionsCreated = 0;
  private lastIndexedAt = 0;
  private readonly issued: string[] = [];
  private readonly access = new Set<string>();
  private readonly expired = new Set<string>();
  private readonly refresh = new Set<string>();

  /** Every access token given so far stops working, as after their two hours. */
  expireAccessTokens(): void {
    for (const token of this.access) this.expired.add(token);
    this.access.clear();
  }

  /** The app password is revoked (Settings > App passwords), with every session it opened. */
  revokeAppPassword(): void {
    this.appPassword = `revoked-${randomBytes(4).toString('hex')}`;
    this.access.clear();
    this.refresh.clear();
  }

  /** Every access and refresh token handed out: none may reach a log. */
  issuedTokens(): string[] {
    return [...this.issued];
  }

  /**
   * Someone mentions, replies to or quotes the account (or likes a post: not a
   * mention). `reply` puts their post in a thread. Their post's strong reference.
   */
  notify(
    reason: 'mention' | 'reply' | 'quote' | 'like',
    from: string,
    text: string,
    reply?: { root: StrongRef; parent: StrongRef },
  ): StrongRef {
    this.lastIndexedAt = Math.max(Date.now(), this.lastIndexedAt + 1);
    const at = new Date(this.lastIndexedAt).toISOString();
    const rkey = `3l${this.lastIndexedAt.toString(32)}`;
    const did = `did:plc:${from.split('.')[0].padEnd(24, '0')}`;
    const ref = { uri: `at://${did}/app.bsky.feed.post/${rkey}`, cid: `bafyrei${rkey}x` };
    this.notifications.push({
      ...ref,
      author: { did, handle: from, displayName: from.split('.')[0] },
      reason,
      record: {
        $type: 'app.bsky.feed.post',
        text,
        createdAt: at,
        langs: ['en'],
        ...(reply ? { reply } : {}),
      },
      isRead: false,
      indexedAt: at,
    });
    return ref;
  }

  live(): StoredRecord[] {
    return this.records.filter((r) => !r.deleted);
  }

  /** The NSID. */
  protected routeOf(req: IncomingMessage, url: URL): string {
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    this.requests.push({ method: req.method ?? '', nsid });
    return nsid;
  }

  protected answer(req: IncomingMessage, url: URL, raw: Buffer): FakeAnswer {
    const [status, body] = this.route(req, url.pathname.replace(/^\/xrpc\//, ''), url, raw);
    return { status, body };
  }

  private route(req: IncomingMessage, nsid: string, url: URL, raw: Buffer): [number, unknown] {
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (nsid === 'com.atproto.server.createSession') {
      const input = JSON.parse(raw.toString('utf8')) as { identifier?: string; password?: string };
      if (input.identifier !== this.handle || input.password !== this.appPassword) {
        return [401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' }];
      }
      this.sessionsCreated += 1;
      return [200, this.session()];
    }
    if (nsid === 'com.atproto.server.refreshSession') {
      if (!this.refresh.delete(bearer)) return [400, { error: 'ExpiredToken', message: 'Token has expired' }];
      return [200, this.session()];
    }
    if (nsid === 'com.atproto.identity.resolveHandle') {
      const did = this.handles.get(url.searchParams.get('handle') ?? '');
      return did ? [200, { did }] : [400, { error: 'InvalidRequest', message: 'Unable to resolve handle' }];
    }
    if (this.expired.has(bearer)) return [400, { error: 'ExpiredToken', message: 'Token has expired' }];
    if (!this.access.has(bearer))
      return [401, { error: 'AuthenticationRequired', message: 'Authentication Required' }];
    if (nsid === 'com.atproto.repo.uploadBlob') {
      const mimeType = String(req.headers['content-type'] ?? 'application/octet-stream');
      if (raw.length > 1_000_000) return [400, { error: 'BlobTooLarge', message: 'This file is too large' }];
      const cid = `bafkrei${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
      this.blobs.set(cid, { mimeType, size: raw.length });
      return [200, { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: raw.length } }];
    }
    if (nsid === 'com.atproto.repo.createRecord') {
      const input = JSON.parse(raw.toString('utf8')) as {
        repo: string;
        collection: string;
        rkey?: string;
        record: Record<string, unknown>;
      };
      if (input.repo !== this.did) return [400, { error: 'InvalidRequest', message: 'Invalid repo' }];
      const rkey = input.rkey ?? randomBytes(6).toString('hex');
      if (!/^[A-Za-z0-9._:~-]{1,512}$/.test(rkey))
        return [400, { error: 'InvalidRequest', message: 'Invalid rkey' }];
      if (this.records.some((r) => r.collection === input.collection && r.rkey === rkey && !r.deleted)) {
        // What @atproto/pds answers (its unique constraint, unhandled): not a 4xx conflict.
        return [500, { error: 'InternalServerError', message: 'Internal Server Error' }];
      }
      const text = typeof input.record.text === 'string' ? input.record.text : '';
      if ([...graphemes.segment(text)].length > 300) {
        return [
          400,
          {
            error: 'InvalidRequest',
            message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
          },
        ];
      }
      this.records.push({ rkey, collection: input.collection, value: input.record, deleted: false });
      return [200, { uri: `at://${this.did}/${input.collection}/${rkey}`, cid: `bafyrei${rkey}` }];
    }
    if (nsid === 'com.atproto.repo.getRecord') {
      const record = this.records.find(
        (r) =>
          r.collection === url.searchParams.get('collection') &&
          r.rkey === url.searchParams.get('rkey') &&
          !r.deleted,
      );
      if (!record) return [400, { error: 'RecordNotFound', message: 'Could not locate record' }];
      return [
        200,
        {
          uri: `at://${this.did}/${record.collection}/${record.rkey}`,
          cid: `bafyrei${record.rkey}`,
          value: record.value,
        },
      ];
    }
    if (nsid === 'app.bsky.notification.listNotifications') {
      // Newest first; the cursor is the indexedAt of the last one given (opaque to clients).
      const reasons = url.searchParams.getAll('reasons');
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50));
      const before = url.searchParams.get('cursor');
      const page = this.notifications
        .filter(
          (n) => (reasons.length === 0 || reasons.includes(n.reason)) && (!before || n.indexedAt < before),
        )
        .sort((a, b) => b.indexedAt.localeCompare(a.indexedAt))
        .slice(0, limit);
      return [
        200,
        {
          notifications: page,
          ...(page.length === limit ? { cursor: page[page.length - 1].indexedAt } : {}),
        },
      ];
    }
    if (nsid === 'com.atproto.repo.deleteRecord') {
      const input = JSON.parse(raw.toString('utf8')) as { collection: string; rkey: string };
      for (const r of this.records)
        if (r.collection === input.collection && r.rkey === input.rkey) r.deleted = true;
      return [200, {}];
    }
    return [501, { error: 'MethodNotImplemented', message: `${nsid} is not implemented here` }];
  }

  private session() {
    const accessJwt = `access.${randomBytes(16).toString('hex')}`;
    const refreshJwt = `refresh.${randomBytes(16).toString('hex')}`;
    this.access.add(accessJwt);
    this.refresh.add(refreshJwt);
    this.issued.push(accessJwt, refreshJwt);
    return { did: this.did, handle: this.handle, accessJwt, refreshJwt, active: true };
  }
}
