import { randomUUID, createHash } from 'node:crypto';
import { contentHash, DomainError, ErrorCode, personOf, type Actor, type FieldError } from '@app/domain';
import { CampaignsRepository, ChannelsRepository, type ChannelEntity, type Campaign } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { DataSource, type EntityManager } from 'typeorm';
import { checkHeader, checkRow, type ImportContext, type ImportedPost } from './post-import';

/** The most rows one import takes. */
export const MAX_IMPORT_ROWS = 10_000;

export interface ImportRowResult {
  /** the data row's number: 1 is the first row after the header */
  row: number;
  ok: boolean;
  postId: string | null;
  errors: FieldError[];
}

export interface ImportResult {
  dryRun: boolean;
  atomic: boolean;
  created: number;
  failed: number;
  rows: ImportRowResult[];
}

/**
 * Bulk import of drafts from CSV. Every row is checked as a create would check it,
 * against the workspace's channels, campaigns and zone read once; the posts, their
 * first revisions and their `post.created` audit entries are then written in three
 * statements, in one transaction. Atomic (the default): one bad row and nothing is
 * written, the problem lists every bad row by number and column. Otherwise the good
 * rows are made and the bad ones listed.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelsRepository,
    private readonly campaigns: CampaignsRepository,
  ) {}

  async import(
    actor: Actor,
    zone: string,
    csv: string,
    options: { dryRun: boolean; atomic: boolean; idempotencyKey?: string },
  ): Promise<{ result: ImportResult; replayed: boolean }> {
    const records = parseCsv(csv);
    return this.db.transaction(async (em) => {
      const key =
        options.idempotencyKey && !options.dryRun ? this.keyOf(actor, options.idempotencyKey) : null;
      const requestHash = createHash('sha256')
        .update(JSON.stringify([options.atomic, csv]))
        .digest('hex');
      if (key) {
        const earlier = await this.claim(key, requestHash, em);
        if (earlier) return { result: earlier, replayed: true };
      }
      const ctx = await this.context(actor, zone, em);
      const rows: ImportRowResult[] = [];
      const posts: Array<ImportedPost & { id: string }> = [];
      records.forEach((record, i) => {
        const checked = checkRow(record, ctx);
        if ('errors' in checked) {
          rows.push({ row: i + 1, ok: false, postId: null, errors: checked.errors });
        } else {
          const id = options.dryRun ? null : randomUUID();
          if (id) posts.push({ ...checked.post, id });
          rows.push({ row: i + 1, ok: true, postId: id, errors: [] });
        }
      });
      const failed = rows.filter((r) => !r.ok);
      if (options.atomic && failed.length > 0 && !options.dryRun) {
        throw DomainError.ofFields(
          ErrorCode.ValidationFailed,
          failed.flatMap((r) =>
            r.errors.map((e) => ({ field: `rows[${r.row}].${e.field}`, message: e.message })),
          ),
          `${failed.length} of ${rows.length} rows cannot be imported; nothing was`,
        );
      }
      if (!options.dryRun) await this.write(actor, posts, em);
      const result: ImportResult = {
        dryRun: options.dryRun,
        atomic: options.atomic,
        created: posts.length,
        failed: failed.length,
        rows,
      };
      if (key) await this.remember(key, requestHash, result, em);
      return { result, replayed: false };
    });
  }

  private async context(actor: Actor, zone: string, em: EntityManager): Promise<ImportContext> {
    const channels = await this.channels.listInWorkspace(actor.workspaceId, em);
    const byName = new Map<string, ChannelEntity | null>();
    for (const c of channels) {
      const name = c.name.toLowerCase();
      byName.set(name, byName.has(name) ? null : c);
    }
    const campaigns: Campaign[] = await this.campaigns.list(actor.workspaceId);
    return {
      channelsById: new Map(channels.map((c) => [c.id, c])),
      channelsByName: byName,
      campaignsByName: new Map(campaigns.map((c) => [c.name.toLowerCase(), c])),
      zone,
      now: new Date(),
    };
  }

  /** Posts, their first revisions, and their audit entries: three statements whatever the count. */
  private async write(actor: Actor, posts: ReadonlyArray<ImportedPost & { id: string }>, em: EntityManager) {
    if (posts.length === 0) return;
    const authorUserId = personOf(actor);
    const authorApiKeyId = actor.kind === 'api-key' ? actor.apiKeyId : null;
    const input = JSON.stringify(
      posts.map((p) => ({
        id: p.id,
        channel_id: p.channelId,
        text: p.text,
        media_urls: p.mediaUrls,
        link: p.link,
        scheduled_at: p.scheduledAt.toISOString(),
        campaign_id: p.campaignId,
        content_hash: contentHash({
          channelId: p.channelId,
          text: p.text,
          mediaUrls: p.mediaUrls,
          mediaAlt: [],
          link: p.link,
          contentWarning: null,
          visibility: 'public',
          language: null,
        }),
      })),
    );
    const rows = `jsonb_to_recordset($1::jsonb) AS t(id uuid, channel_id uuid, text text, media_urls text[], link text,
                    scheduled_at timestamptz, campaign_id uuid, content_hash text)`;
    await em.query(
      `INSERT INTO posts (id, workspace_id, channel_id, author_user_id, author_api_key_id, status, version, text,
                          media_urls, link, scheduled_at, content_hash, campaign_id)
       SELECT id, $2, channel_id, $3, $4, 'draft', 1, text, media_urls, link, scheduled_at, content_hash, campaign_id
         FROM ${rows}`,
      [input, actor.workspaceId, authorUserId, authorApiKeyId],
    );
    await em.query(
      `INSERT INTO post_revisions (post_id, version, editor_user_id, editor_api_key_id, changed, channel_id, text,
                                   media_urls, link, scheduled_at, content_hash)
       SELECT id, 1, $2, $3, '{channelId,text,mediaUrls,link,scheduledAt}', channel_id, text, media_urls, link,
              scheduled_at, content_hash
         FROM ${rows}`,
      [input, authorUserId, authorApiKeyId],
    );
    // The trigger numbers and chains each entry; seq and hashes here are placeholders it overwrites.
    await em.query(
      `INSERT INTO audit_events (workspace_id, seq, post_id, actor_kind, actor_id, action, version, before, after,
                                 prev_hash, hash)
       SELECT $2, 0, t.id, $3, $4, 'post.created', 1, NULL, '{"status":"draft","imported":true}', '', ''
         FROM ${rows} ORDER BY t.id`,
      [input, actor.workspaceId, actor.kind, actor.kind === 'user' ? actor.userId : actor.apiKeyId],
    );
  }

  private keyOf(actor: Actor, idempotencyKey: string) {
    const principal = actor.kind === 'user' ? `user:${actor.userId}` : `api-key:${actor.apiKeyId}`;
    return { workspaceId: actor.workspaceId, principal, idempotencyKey };
  }

  /**
   * Takes the key for this request, or finds the answer of an earlier one (waiting for
   * one still in flight). The same key with another body is refused.
   */
  private async claim(
    key: { workspaceId: string; principal: string; idempotencyKey: string },
    requestHash: string,
    em: EntityManager,
  ): Promise<ImportResult | null> {
    const [claimed] = await em.query<unknown[]>(
      `INSERT INTO post_imports (workspace_id, principal, idempotency_key, request_hash, response)
       VALUES ($1, $2, $3, $4, 'null') ON CONFLICT DO NOTHING RETURNING 1`,
      [key.workspaceId, key.principal, key.idempotencyKey, requestHash],
    );
    if (claimed) return null;
    const [earlier] = await em.query<Array<{ request_hash: string; response: ImportResult }>>(
      `SELECT request_hash, response FROM post_imports
        WHERE workspace_id = $1 AND principal = $2 AND idempotency_key = $3`,
      [key.workspaceId, key.principal, key.idempotencyKey],
    );
    if (!earlier || earlier.request_hash !== requestHash) {
      throw new DomainError(
        ErrorCode.Unprocessable,
        'This Idempotency-Key was used for another import; use a new key for a new request.',
      );
    }
    return earlier.response;
  }

  private async remember(
    key: { workspaceId: string; principal: string; idempotencyKey: string },
    requestHash: string,
    result: ImportResult,
    em: EntityManager,
  ): Promise<void> {
    await em.query(
      `UPDATE post_imports SET response = $5
        WHERE workspace_id = $1 AND principal = $2 AND idempotency_key = $3 AND request_hash = $4`,
      [key.workspaceId, key.principal, key.idempotencyKey, requestHash, JSON.stringify(result)],
    );
  }
}

/** The CSV's records by column name: a 400 for CSV that does not parse, a bad header, or too many rows. */
function parseCsv(csv: string): Array<Record<string, string>> {
  let records: string[][];
  try {
    records = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) satisfies string[][];
  } catch (error) {
    throw DomainError.invalid('body', `is not CSV this import reads: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw DomainError.invalid('body', 'is empty: send a header row and at least one post');
  const columns = header.map((c) => c.trim());
  const headerErrors = checkHeader(columns);
  if (headerErrors.length > 0) throw DomainError.ofFields(ErrorCode.ValidationFailed, headerErrors);
  if (data.length === 0) throw DomainError.invalid('body', 'has no rows after the header');
  if (data.length > MAX_IMPORT_ROWS) {
    throw DomainError.invalid('body', `has ${data.length} rows; an import takes at most ${MAX_IMPORT_ROWS}`);
  }
  return data.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])));
}
