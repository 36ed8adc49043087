import { randomBytes } from 'node:crypto';
import {
  mentionBuckets,
  STATS_LOOKBACK_MS,
  type MentionBucket,
  type ReplyRef,
  type SpikeWatch,
} from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialsCipher } from '../credentials-cipher';
import { decodeCursor, toPage, type Page } from '../pagination';
import { newSecretToken, secretTokenHash } from '../secret-tokens';

/** A mention as stored. */
export interface Mention {
  id: string;
  workspaceId: string;
  channelId: string | null;
  network: string;
  externalId: string;
  authorHandle: string;
  authorName: string | null;
  text: string;
  url: string | null;
  language: string | null;
  inReplyTo: string | null;
  postId: string | null;
  sentiment: number;
  negative: boolean;
  status: 'open' | 'handled';
  assigneeId: string | null;
  createdAt: Date;
  receivedAt: Date;
  handledAt: Date | null;
  /** how to answer it on its network: null for one a listening tool sent */
  replyRef: ReplyRef | null;
  /** when our first reply to it was published */
  repliedAt: Date | null;
}

/** A mention to store: what the network or the listening tool said, and its sentiment. */
export type NewMention = Omit<
  Mention,
  | 'id'
  | 'workspaceId'
  | 'postId'
  | 'status'
  | 'assigneeId'
  | 'receivedAt'
  | 'handledAt'
  | 'replyRef'
  | 'repliedAt'
> & { replyRef?: ReplyRef | null };

const COLUMNS = `id, workspace_id AS "workspaceId", channel_id AS "channelId", network, external_id AS "externalId",
  author_handle AS "authorHandle", author_name AS "authorName", text, url, language, in_reply_to AS "inReplyTo",
  post_id AS "postId", sentiment, negative, status, assignee_id AS "assigneeId", created_at AS "createdAt",
  received_at AS "receivedAt", handled_at AS "handledAt", reply_ref AS "replyRef", replied_at AS "repliedAt"`;

export interface MentionFilter {
  workspaceId: string;
  status?: 'open' | 'handled';
  channelId?: string;
  postId?: string;
  negative?: boolean;
}

/** What GET .../mentions/stats shows of a range. */
export interface MentionStats {
  buckets: MentionBucket[];
  /** the spike alerts given in the range, with their figures */
  spikes: Array<{ at: Date; count: number; windowMinutes: number; baseline: number }>;
  /** our posts most answered in the range */
  posts: Array<{ postId: string; text: string; mentions: number; negative: number }>;
  /** of the range's mentions, how many we answered, and the median time to our first reply */
  replies: { answered: number; medianResponseSeconds: number | null };
}

/** Mentions, inbound tokens and spike watches. */
@Injectable()
export class MentionsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: CredentialsCipher,
  ) {}

  /**
   * Stores the mentions not seen before (one statement; duplicates, in the batch or
   * stored already, are skipped) and links each reply to our post of that external
   * id. How many were new.
   */
  async store(
    workspaceId: string,
    mentions: readonly NewMention[],
    em: EntityManager = this.db.manager,
  ): Promise<number> {
    if (mentions.length === 0) return 0;
    const rows = await em.query<unknown[]>(
      `INSERT INTO mentions (workspace_id, channel_id, network, external_id, author_handle, author_name, text, url,
                             language, in_reply_to, post_id, sentiment, negative, created_at, reply_ref)
       SELECT $1, m.channel_id, m.network, m.external_id, m.author_handle, m.author_name, m.text, m.url, m.language,
              m.in_reply_to,
              (SELECT p.id FROM posts p WHERE p.workspace_id = $1 AND p.external_id = m.in_reply_to LIMIT 1),
              m.sentiment, m.negative, m.created_at, m.reply_ref
         FROM jsonb_to_recordset($2::jsonb) AS m(channel_id uuid, network text, external_id text, author_handle text,
              author_name text, text text, url text, language text, in_reply_to text, sentiment real, negative boolean,
              created_at timestamptz, reply_ref jsonb)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        workspaceId,
        JSON.stringify(
          mentions.map((m) => ({
            channel_id: m.channelId,
            network: m.network,
            external_id: m.externalId,
            author_handle: m.authorHandle,
            author_name: m.authorName,
            text: m.text,
            url: m.url,
            language: m.language,
            in_reply_to: m.inReplyTo,
            sentiment: m.sentiment,
            negative: m.negative,
            created_at: m.createdAt.toISOString(),
            reply_ref: m.replyRef ?? null,
          })),
        ),
      ],
    );
    return rows.length;
  }

  /** The inbox, newest first, cursor-paginated. */
  async list(filter: MentionFilter, limit: number, cursor?: string): Promise<Page<Mention>> {
    const where = ['workspace_id = $1'];
    const params: unknown[] = [filter.workspaceId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.channelId) add('channel_id = ?', filter.channelId);
    if (filter.postId) add('post_id = ?', filter.postId);
    if (filter.negative !== undefined) add('negative = ?', filter.negative);
    if (cursor) {
      const [receivedAt, id] = decodeCursor(cursor, 2);
      params.push(receivedAt, id);
      where.push(`(received_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows = await this.db.query<Mention[]>(
      `SELECT ${COLUMNS} FROM mentions WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    );
    return toPage(rows, limit, (m) => [m.receivedAt.toISOString(), m.id]);
  }

  async find(workspaceId: string, id: string): Promise<Mention | null> {
    const [row] = await this.db.query<Mention[]>(
      `SELECT ${COLUMNS} FROM mentions WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  async update(
    workspaceId: string,
    id: string,
    changes: { status?: 'open' | 'handled'; assigneeId?: string | null },
  ): Promise<Mention | null> {
    const [rows] = await this.db.query<[Mention[], number]>(
      `UPDATE mentions
          SET status = coalesce($3, status),
              handled_at = CASE WHEN $3 = 'handled' AND status <> 'handled' THEN now()
                                WHEN $3 = 'open' THEN NULL ELSE handled_at END,
              assignee_id = CASE WHEN $4 THEN $5::uuid ELSE assignee_id END
        WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [workspaceId, id, changes.status ?? null, changes.assigneeId !== undefined, changes.assigneeId ?? null],
    );
    return rows[0] ?? null;
  }

  /**
   * What a spike alert shows of the last `windowMinutes`: the most negative mentions
   * first, and our posts most replied to.
   */
  async highlights(
    workspaceId: string,
    windowMinutes: number,
    limit = 5,
  ): Promise<{ mentions: Mention[]; posts: Array<{ postId: string; text: string; replies: number }> }> {
    const mentions = await this.db.query<Mention[]>(
      `SELECT ${COLUMNS} FROM mentions
        WHERE workspace_id = $1 AND created_at >= now() - $2 * interval '1 minute'
        ORDER BY sentiment, created_at DESC LIMIT $3`,
      [workspaceId, windowMinutes, limit],
    );
    const posts = await this.db.query<Array<{ postId: string; text: string; replies: number }>>(
      `SELECT p.id AS "postId", p.text, count(*)::int AS replies
         FROM mentions m JOIN posts p ON p.id = m.post_id
        WHERE m.workspace_id = $1 AND m.created_at >= now() - $2 * interval '1 minute'
        GROUP BY p.id, p.text ORDER BY replies DESC LIMIT 3`,
      [workspaceId, windowMinutes],
    );
    return { mentions, posts };
  }

  /**
   * The range's mentions counted in buckets (`bounds`: one more than buckets) with
   * their baselines, read as counts per `binMinutes` (every bound falls on one) from
   * a week and a day before the range; the spikes alerted, the posts answered and
   * the time to reply. `channelId` narrows it all but the spikes (a workspace's).
   */
  async stats(
    workspaceId: string,
    bounds: readonly number[],
    binMinutes: number,
    channelId?: string,
  ): Promise<MentionStats> {
    const from = new Date(bounds[0]);
    const to = new Date(bounds[bounds.length - 1]);
    // Every query takes (workspace, from, to[, channel]) first.
    const channel = (of = '') => (channelId ? `AND ${of}channel_id = $4` : '');
    const range = (since: Date) => [workspaceId, since, to, ...(channelId ? [channelId] : [])];
    const bins = await this.db.query<Array<{ at: Date; count: number; negative: number }>>(
      `SELECT date_bin(${binMinutes} * interval '1 minute', created_at, timestamptz 'epoch') AS at,
              count(*)::int AS count, count(*) FILTER (WHERE negative)::int AS negative
         FROM mentions WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 ${channel()}
        GROUP BY 1`,
      range(new Date(bounds[0] - STATS_LOOKBACK_MS)),
    );
    const [history] = await this.db.query<Array<{ first: Date | null }>>(
      `SELECT min(created_at) AS first FROM mentions WHERE workspace_id = $1`,
      [workspaceId],
    );
    const spikes = await this.db.query<MentionStats['spikes']>(
      `SELECT created_at AS at, (after->>'count')::int AS count, (after->>'windowMinutes')::int AS "windowMinutes",
              (after->>'baseline')::real AS baseline
         FROM audit_events WHERE workspace_id = $1 AND action = 'listening.spike' AND created_at >= $2 AND created_at < $3
        ORDER BY created_at`,
      [workspaceId, from, to],
    );
    const posts = await this.db.query<MentionStats['posts']>(
      `SELECT p.id AS "postId", p.text, count(*)::int AS mentions, count(*) FILTER (WHERE m.negative)::int AS negative
         FROM mentions m JOIN posts p ON p.id = m.post_id
        WHERE m.workspace_id = $1 AND m.created_at >= $2 AND m.created_at < $3 ${channel('m.')}
        GROUP BY p.id, p.text ORDER BY mentions DESC, p.id LIMIT 10`,
      range(from),
    );
    const [replies] = await this.db.query<Array<MentionStats['replies']>>(
      `SELECT count(replied_at)::int AS answered,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM replied_at - created_at)))::int
                AS "medianResponseSeconds"
         FROM mentions WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 ${channel()}`,
      range(from),
    );
    return {
      buckets: mentionBuckets(
        bins.map((b) => ({ at: b.at.getTime(), count: b.count, negative: b.negative })),
        bounds,
        history.first?.getTime() ?? null,
      ),
      spikes,
      posts,
      replies,
    };
  }

  /** A new inbound token: the token (for the URL) and the secret (to sign with), both shown once. */
  async createInboundToken(
    workspaceId: string,
    name: string,
    createdByUserId: string | null,
  ): Promise<{ id: string; token: string; secret: string; createdAt: Date }> {
    const { token, hash } = newSecretToken();
    // Standard Webhooks secrets are base64 (not base64url) after the prefix.
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const [row] = await this.db.query<Array<{ id: string; createdAt: Date }>>(
      `INSERT INTO inbound_tokens (workspace_id, name, token_hash, secret_sealed, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at AS "createdAt"`,
      [workspaceId, name, hash, this.cipher.seal(secret), createdByUserId],
    );
    return { id: row.id, token, secret, createdAt: row.createdAt };
  }

  /** The workspace and signing secret of a token not revoked, or null. */
  async inboundToken(token: string): Promise<{ workspaceId: string; secret: string } | null> {
    const [row] = await this.db.query<Array<{ workspaceId: string; sealed: string }>>(
      `SELECT workspace_id AS "workspaceId", secret_sealed AS sealed FROM inbound_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL`,
      [secretTokenHash(token)],
    );
    return row ? { workspaceId: row.workspaceId, secret: this.cipher.open(row.sealed) } : null;
  }

  async watch(workspaceId: string): Promise<(SpikeWatch & { lastAlertAt: Date | null }) | null> {
    const [row] = await this.db.query<Array<SpikeWatch & { lastAlertAt: Date | null }>>(
      `SELECT window_minutes AS "windowMinutes", min_mentions AS "minMentions", factor, negative_share AS "negativeShare",
              action, cooldown_minutes AS "cooldownMinutes", last_alert_at AS "lastAlertAt"
         FROM listening_watches WHERE workspace_id = $1`,
      [workspaceId],
    );
    return row ?? null;
  }

  async saveWatch(workspaceId: string, watch: SpikeWatch): Promise<void> {
    await this.db.query(
      `INSERT INTO listening_watches (workspace_id, window_minutes, min_mentions, factor, negative_share, action,
                                      cooldown_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id) DO UPDATE SET window_minutes = $2, min_mentions = $3, factor = $4,
              negative_share = $5, action = $6, cooldown_minutes = $7, updated_at = now()`,
      [
        workspaceId,
        watch.windowMinutes,
        watch.minMentions,
        watch.factor,
        watch.negativeShare,
        watch.action,
        watch.cooldownMinutes,
      ],
    );
  }
}
