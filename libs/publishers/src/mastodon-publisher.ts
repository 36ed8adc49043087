import { languageAsSent, textAsSent } from '@app/domain';
import { FormData } from 'undici';
import { fetchMedia } from './media';
import { exhaustedUntil, NetworkApi } from './network-api';
import type { OutboundHttp } from './outbound-http';
import {
  PublishError,
  type MentionSource,
  type MentionsRead,
  type NetworkAccount,
  type Publisher,
  type PublishRequest,
  type PublishResult,
  type TakedownRequest,
} from './publisher';

/** What a Mastodon channel's sealed credentials hold. */
export interface MastodonCredentials {
  accessToken: string;
}

/** Notifications read a page at a time (Mastodon's default page; it allows 80). */
const PAGE = 40;
/** Mastodon takes images up to 16 MB (its default `image_size_limit`). */
const MAX_MEDIA_BYTES = 16 * 1024 * 1024;
/** How long an upload may stay "processing" before the post is tried again later. */
const MEDIA_PROCESSING_MS = 30_000;

interface Status {
  id: string;
  url: string | null;
  uri: string;
}

interface MastodonNotification {
  id: string;
  account: { acct: string; display_name: string };
  status?: {
    id: string;
    content: string;
    url: string | null;
    created_at: string;
    in_reply_to_id: string | null;
    language: string | null;
  };
}

/** A status's HTML as text: paragraphs and line breaks as new lines, tags dropped, entities read. */
function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

interface MediaAttachment {
  id: string;
  url: string | null;
}

/**
 * Publishes to any Mastodon instance through its documented API
 * (docs.joinmastodon.org/methods): media by POST /api/v2/media (a 202 is still
 * processing: GET /api/v1/media/:id until it has a URL), then POST /api/v1/statuses
 * with the version's Idempotency-Key, which Mastodon keeps for an hour, so a retry
 * after a lost answer gets the status it made already. Takedown is DELETE.
 */
export class MastodonPublisher implements Publisher, MentionSource {
  private readonly api: NetworkApi;

  constructor(
    private readonly http: OutboundHttp,
    instanceUrl: string,
    private readonly credentials: MastodonCredentials,
    private readonly timeoutMs: number,
    private readonly pollMs = 1000,
  ) {
    this.api = new NetworkApi(http, 'Mastodon', instanceUrl, timeoutMs);
  }

  async publish(request: PublishRequest): Promise<PublishResult> {
    const mediaIds: string[] = [];
    for (const [i, url] of request.mediaUrls.entries()) {
      mediaIds.push(await this.upload(url, request.mediaAlt[i] ?? ''));
    }
    const { status, data, headers } = await this.api.call<Status>('POST', '/api/v1/statuses', {
      token: this.credentials.accessToken,
      headers: { 'idempotency-key': request.idempotencyKey },
      json: {
        status: textAsSent('mastodon', request),
        media_ids: mediaIds,
        ...(request.contentWarning ? { spoiler_text: request.contentWarning } : {}),
        // Always said: what was approved, not the account's default.
        visibility: request.visibility,
        ...(request.language ? { language: languageAsSent('mastodon', request.language) } : {}),
        ...(request.replyTo?.network === 'mastodon' ? { in_reply_to_id: request.replyTo.statusId } : {}),
      },
    });
    return {
      externalId: data.id,
      url: data.url ?? data.uri,
      statusCode: status,
      holdUntil: exhaustedUntil(headers),
    };
  }

  /** Deletes the status; one that is gone already (404) is as good as deleted. */
  async unpublish(request: TakedownRequest): Promise<void> {
    if (!request.externalId) throw new PublishError('the post has no Mastodon status id to delete', false);
    const answer = await this.api.raw(
      'DELETE',
      `/api/v1/statuses/${encodeURIComponent(request.externalId)}`,
      {
        token: this.credentials.accessToken,
      },
    );
    if (answer.status === 404 || (answer.status >= 200 && answer.status < 300)) return;
    throw this.api.refusal(answer);
  }

  /**
   * The mention notifications after notification id `cursor`, oldest first, up to
   * `pages` pages of 40: the instance answers the page just after `min_id`, newest
   * first, so each page goes on from the newest of the one before. Without a
   * cursor, the newest page only.
   */
  async mentionsAfter(cursor: string | null, pages: number): Promise<MentionsRead> {
    const mentions: MentionsRead['mentions'] = [];
    let minId = cursor;
    for (let page = 0; page < pages; page += 1) {
      const query = new URLSearchParams({ 'types[]': 'mention', limit: String(PAGE) });
      if (minId) query.set('min_id', minId);
      const { data } = await this.api.call<MastodonNotification[]>(
        'GET',
        `/api/v1/notifications?${query.toString()}`,
        { token: this.credentials.accessToken },
      );
      if (data.length === 0) break;
      minId = data[0].id;
      for (const n of [...data].reverse()) {
        if (!n.status) continue;
        mentions.push({
          externalId: n.status.id,
          authorHandle: `@${n.account.acct}`,
          authorName: n.account.display_name || null,
          text: plainText(n.status.content),
          url: n.status.url,
          createdAt: new Date(n.status.created_at),
          inReplyTo: n.status.in_reply_to_id,
          language: n.status.language,
          replyRef: { network: 'mastodon', statusId: n.status.id },
        });
      }
      if (data.length < PAGE || !cursor) break;
    }
    return { mentions, cursor: minId };
  }

  /** Who the token acts as, and the instance's text limit. */
  async verify(): Promise<NetworkAccount> {
    const { data: account } = await this.api.call<{ id: string; acct: string; url: string }>(
      'GET',
      '/api/v1/accounts/verify_credentials',
      { token: this.credentials.accessToken },
    );
    const instance = await this.api
      .call<{ domain?: string; configuration?: { statuses?: { max_characters?: number } } }>(
        'GET',
        '/api/v2/instance',
      )
      .catch(() => null);
    const max = instance?.data.configuration?.statuses?.max_characters;
    const domain = instance?.data.domain ?? new URL(this.api.baseUrl).host;
    return {
      accountId: account.id,
      handle: account.acct.includes('@') ? `@${account.acct}` : `@${account.acct}@${domain}`,
      url: account.url,
      ...(typeof max === 'number' && max > 0 ? { maxCharacters: max } : {}),
    };
  }

  private async upload(url: string, alt: string): Promise<string> {
    const file = await fetchMedia(this.http, url, { maxBytes: MAX_MEDIA_BYTES, timeoutMs: this.timeoutMs });
    const form = new FormData();
    form.append('file', new Blob([file.data], { type: file.contentType }), file.filename);
    if (alt) form.append('description', alt);
    const { status, data } = await this.api.call<MediaAttachment>('POST', '/api/v2/media', {
      token: this.credentials.accessToken,
      form,
    });
    if (status !== 202 && data.url) return data.id;
    // 202: still processing; its GET answers 206 until it is ready.
    const until = Date.now() + MEDIA_PROCESSING_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      const polled = await this.api.call<MediaAttachment>('GET', `/api/v1/media/${data.id}`, {
        token: this.credentials.accessToken,
      });
      if (polled.status === 200 && polled.data.url) return data.id;
    }
    throw new PublishError(
      `Mastodon was still processing ${url} after ${MEDIA_PROCESSING_MS / 1000} s`,
      true,
    );
  }
}
