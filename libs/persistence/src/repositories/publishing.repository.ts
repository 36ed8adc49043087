import { NO_CONTENT_RULES, type ContentRules, type PostStatus, type StatusChange } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { PostEntity, type ChannelEntity } from '../entities';
import {
  membersJson,
  reviewColumns,
  toReviewContext,
  type MembersJson,
  type ReviewColumns,
  type ReviewContext,
} from '../review-reader';

/** A post locked for publishing, with what the gate needs, read under the same locks. */
export interface PublishTarget {
  post: PostEntity;
  review: ReviewContext;
  workspacePaused: boolean;
  channel: Pick<
    ChannelEntity,
    'id' | 'name' | 'network' | 'handle' | 'paused' | 'publisherKind' | 'publisherUrl' | 'publisherSecret'
  >;
  lastAttempt: { outcome: string; createdAt: Date } | null;
  contentRules: ContentRules;
}

/** A system audit entry written with a status change, in the same statement. */
export interface TransitionAudit {
  action: string;
  before: object;
  after: object;
}

/** A status change of a locked post; without an audit entry it only renews the publishing lease. */
export interface Transition {
  post: PostEntity;
  status: PostStatus;
  outcome: object | null;
  audit: TransitionAudit | null;
}

/** One publish attempt's record and, unless it is to be retried, the post's final state. */
export interface Finish {
  post: PostEntity;
  attempt: number;
  outcome: 'published' | 'retry' | 'failed';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  externalId: string | null;
  url: string | null;
  /** the post's `outcome` column: why it failed */
  result: object | null;
  /** the status change this outcome makes (from `publishing`); none for a retry */
  change: StatusChange | null;
}

interface Row extends ReviewColumns {
  id: string;
  workspace_id: string;
  channel_id: string;
  author_user_id: string | null;
  author_api_key_id: string | null;
  status: PostStatus;
  version: number;
  text: string;
  media_urls: string[];
  link: string | null;
  scheduled_at: Date;
  workflow_version_id: string | null;
  publishing_started_at: Date | null;
  workspace_paused: boolean;
  channel_name: string;
  network: ChannelEntity['network'];
  handle: string | null;
  channel_paused: boolean;
  publisher_kind: 'webhook' | 'log';
  publisher_url: string | null;
  publisher_secret: string | null;
  last_attempt: { outcome: string; created_at: string } | null;
  content_rules: ContentRules | null;
}

// The audit row's seq and hashes are the trigger's; these are placeholders it overwrites.
// Rows go in by workspace, so two batches take the trigger's per-workspace locks in the same order.
const AUDIT_INSERT = `INSERT INTO audit_events (workspace_id, seq, post_id, actor_kind, action, version, before, after, prev_hash, hash)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Planner settings for the hot path's transactions: every post is found by its
 * primary key, one probe per post, whatever the statistics say. In a burst they are
 * wrong (thousands of posts go approved, publishing, published between two
 * ANALYZEs), and they made the planner read every approved and publishing post of
 * the database (the partial index) into a hash for each batch of outcomes, and
 * every row of `posts` for each batch of claims when the table was young: the
 * bigger the calendar, the slower a burst.
 */
export const BY_KEY = [
  'SET LOCAL enable_seqscan = off',
  'SET LOCAL enable_bitmapscan = off',
  'SET LOCAL enable_hashjoin = off',
  'SET LOCAL enable_mergejoin = off',
].join('; ');

/**
 * The worker's hot path, a batch of posts at a time: each statement is a write to
 * a socket and each commit a WAL flush, and on two cores those add up. The gate
 * itself stays in libs/domain.
 */
@Injectable()
export class PublishingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Opens a transaction holding the locks a publish decision needs and reads, under
   * them, what the gate needs about each post. The caller decides, then ends the
   * transaction with applyTransitions (or release).
   *
   * Locks: first the posts' workspaces and channels FOR SHARE (a pause that
   * committed first is seen; one that comes later waits for our decision), then the
   * posts FOR UPDATE: the order a pause or lockdown takes them in, so neither waits
   * on the other in a cycle. With `skipLocked`, a post someone else holds is left
   * out and comes back as 'busy'; without, the statement waits for it. A post not
   * found is absent. The workspaces' members are read last: a membership change
   * takes the workspace row FOR NO KEY UPDATE, so none can commit in between.
   *
   * BEGIN, the planner settings, the locks and the members go in one simple query,
   * the changes and COMMIT in another: two round trips, where parameterized
   * statements take five, and a burst claims one batch at a time (docs/benchmarks.md).
   * Values are therefore inlined: the ids (only UUIDs) as an escaped literal.
   */
  async lockForPublishing(
    postIds: readonly string[],
    how: { skipLocked: boolean },
  ): Promise<PublishingLocks> {
    const runner = this.db.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const locks = new PublishingLocks(runner, client);
    try {
      locks.targets = await readLocked(client, postIds, how.skipLocked, `BEGIN; ${BY_KEY}; `);
      return locks;
    } catch (error) {
      await locks.end('ROLLBACK');
      throw error;
    }
  }

  /**
   * The same read for one post inside the caller's transaction, waiting for its lock
   * (publish-now): null when there is no such post.
   */
  async lockOneForPublishing(postId: string, em: EntityManager): Promise<PublishTarget | null> {
    const client = (await em.queryRunner!.connect()) as PoolClient;
    const target = (await readLocked(client, [postId], false, '')).get(postId);
    return target && target !== 'busy' ? target : null;
  }

  /** Writes the status changes decided under `locks` (each with its audit entry) and commits. */
  async applyTransitions(locks: PublishingLocks, changes: readonly Transition[]): Promise<void> {
    await locks.end(
      changes.length === 0
        ? 'COMMIT'
        : `${transitionStatement(dollarQuoted(transitionInput(changes)))}; COMMIT`,
    );
  }

  /** Ends `locks`' transaction without a change. */
  async release(locks: PublishingLocks): Promise<void> {
    await locks.end('ROLLBACK');
  }

  /**
   * Records attempts and makes each finished call's status change (`Finish.change`),
   * with its audit entry: one statement (with the planner settings, in one query), so
   * one round trip and one commit for the batch. A post that already left the
   * change's `from` status at its version does not move.
   */
  async finish(done: readonly Finish[]): Promise<void> {
    if (done.length === 0) return;
    const input = done.map((f) => ({
      id: f.post.id,
      workspace_id: f.post.workspaceId,
      version: f.post.version,
      attempt: f.attempt,
      outcome: f.outcome,
      status_code: f.statusCode,
      error: f.error,
      duration_ms: f.durationMs,
      external_id: f.externalId,
      external_url: f.url,
      result: f.result,
      from_status: f.change?.from ?? null,
      to_status: f.change?.to ?? null,
    }));
    const runner = this.db.createQueryRunner();
    const locks = new PublishingLocks(runner, (await runner.connect()) as PoolClient);
    await locks.end(`BEGIN; ${BY_KEY}; ${finishStatement(dollarQuoted(JSON.stringify(input)))}; COMMIT`);
  }
}

/**
 * A transaction of the hot path on a pooled connection, straight on the pg client,
 * so TypeORM's query logger does not see its statements. After a failed statement
 * the rest of its query, COMMIT included, did not run: it is rolled back.
 */
export class PublishingLocks {
  /** each post locked, 'busy' (held by someone else, with skipLocked), or absent when not found */
  targets: ReadonlyMap<string, PublishTarget | 'busy'> = new Map();
  private ended = false;

  constructor(
    private readonly runner: QueryRunner,
    private readonly client: PoolClient,
  ) {}

  /** Sends the last query of the transaction (ending in COMMIT or ROLLBACK) and gives the connection back. */
  async end(last: string): Promise<void> {
    if (this.ended) throw new Error('publishing transaction already ended');
    this.ended = true;
    try {
      await this.client.query(last);
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await this.runner.release();
    }
  }
}

async function readLocked(
  client: PoolClient,
  postIds: readonly string[],
  skipLocked: boolean,
  prefix: string,
): Promise<Map<string, PublishTarget | 'busy'>> {
  // Something that is not a UUID names no post: absent, like a deleted one.
  const ids = [...new Set(postIds)].filter((id) => UUID.test(id));
  const list = `${client.escapeLiteral(`{${ids.join(',')}}`)}::uuid[]`;
  const results = (await client.query(
    `${prefix}${lockParents(list)}; ${lockPosts(list, skipLocked)}; ${workspaceMembers(list)}`,
  )) as unknown as QueryResult[];
  const [parents, posts, members] = results.slice(-3) as [
    QueryResult<{ channels: string[] }>,
    QueryResult<Row>,
    QueryResult<{ workspace_id: string; members: MembersJson }>,
  ];
  const locked = new Set(parents.rows[0].channels);
  const membersOf = new Map(members.rows.map((m) => [m.workspace_id, m.members]));
  const targets = new Map<string, PublishTarget | 'busy'>();
  if (skipLocked) for (const id of ids) targets.set(id, 'busy');
  // A post moved to another channel since the first statement: its channel is not held yet.
  for (const r of posts.rows)
    targets.set(r.id, locked.has(r.channel_id) ? toTarget(r, membersOf.get(r.workspace_id) ?? []) : 'busy');
  return targets;
}

/**
 * `text` as a dollar-quoted string constant, with a tag it does not contain: no
 * character of it needs escaping. (pg's escapeLiteral walks the text a character
 * at a time in JavaScript, on the hot path of every transition.)
 */
export function dollarQuoted(text: string): string {
  // The constant ends at the tag's first occurrence after the opening one: not in
  // the text, nor where the text's end and the closing tag meet ("...$cs" + "$cs$").
  const ends = (tag: string) => `${text}${tag.slice(0, -1)}`.includes(tag);
  let tag = '$cs$';
  for (let n = 1; ends(tag); n += 1) tag = `$cs${n}$`;
  return `${tag}${text}${tag}`;
}

/** Workspaces before channels, each in id order; `w` is counted only so that it runs. */
function lockParents(ids: string): string {
  return `WITH w AS (SELECT id FROM workspaces WHERE id IN (SELECT workspace_id FROM posts WHERE id = ANY(${ids}))
                      ORDER BY id FOR SHARE),
               c AS (SELECT id FROM channels WHERE id IN (SELECT channel_id FROM posts WHERE id = ANY(${ids}))
                      ORDER BY id FOR SHARE)
          SELECT (SELECT count(*) FROM w) AS workspaces, (SELECT coalesce(array_agg(id::text), '{}') FROM c) AS channels`;
}

function lockPosts(ids: string, skipLocked: boolean): string {
  return `SELECT p.id, p.workspace_id, p.channel_id, p.author_user_id, p.author_api_key_id, p.status, p.version, p.text,
                 p.media_urls, p.link, p.scheduled_at, p.workflow_version_id, p.publishing_started_at,
                 w.paused AS workspace_paused, c.name AS channel_name, c.network, c.handle, c.paused AS channel_paused,
                 c.publisher_kind, c.publisher_url, c.publisher_secret,
                 (SELECT json_build_object('outcome', a.outcome, 'created_at', a.created_at)
                    FROM publish_attempts a WHERE a.post_id = p.id AND a.version = p.version ORDER BY a.id DESC LIMIT 1) AS last_attempt,
                 (SELECT cr.rules FROM content_rules cr WHERE cr.workspace_id = p.workspace_id) AS content_rules,
                 ${reviewColumns('p.id', 'p.version')}
            FROM posts p
            JOIN workspaces w ON w.id = p.workspace_id
            JOIN channels c ON c.id = p.channel_id
            LEFT JOIN workflow_versions v ON v.id = p.workflow_version_id
           WHERE p.id = ANY(${ids})
           ORDER BY p.id
             FOR UPDATE OF p ${skipLocked ? 'SKIP LOCKED' : ''}`;
}

/**
 * The members of the posts' workspaces, once per workspace rather than once per
 * post: a batch is a few workspaces' posts, and a workspace may have dozens of members.
 */
function workspaceMembers(ids: string): string {
  return `SELECT w.id AS workspace_id, ${membersJson('w.id')} AS members
            FROM workspaces w WHERE w.id IN (SELECT workspace_id FROM posts WHERE id = ANY(${ids}))`;
}

function transitionInput(changes: readonly Transition[]): string {
  return JSON.stringify(
    changes.map(({ post, status, outcome, audit }) => ({
      id: post.id,
      workspace_id: post.workspaceId,
      version: post.version,
      status,
      outcome,
      action: audit?.action ?? null,
      before: audit?.before ?? null,
      after: audit?.after ?? null,
    })),
  );
}

/** The status changes of locked posts, each with its audit entry: one statement. */
export function transitionStatement(input: string): string {
  return `WITH input AS (
            SELECT * FROM jsonb_to_recordset(${input}::jsonb)
              AS t(id uuid, workspace_id uuid, version int, status text, outcome jsonb, action text, before jsonb, after jsonb)),
          changed AS (
            UPDATE posts p SET status = i.status, outcome = coalesce(i.outcome, p.outcome), updated_at = now(),
                   publishing_started_at = CASE WHEN i.status = 'publishing' THEN now() ELSE p.publishing_started_at END
              FROM input i
             WHERE p.id = i.id
             RETURNING i.*)
          ${AUDIT_INSERT}
          SELECT workspace_id, 0, id, 'system', action, version, before, after, '', ''
            FROM changed
           WHERE action IS NOT NULL
           ORDER BY workspace_id, id`;
}

/**
 * Each outcome's attempt row, and for those not to be retried the move out of
 * `publishing` with its audit entry: one statement. The status a post must still be
 * in comes from the input, so that it is a join condition: as a constant it would let
 * the planner read the partial index of approved and publishing posts instead of the
 * primary key (BY_KEY).
 */
export function finishStatement(input: string): string {
  return `WITH input AS (
            SELECT * FROM jsonb_to_recordset(${input}::jsonb)
              AS t(id uuid, workspace_id uuid, version int, attempt int, outcome text, status_code int, error text,
                   duration_ms int, external_id text, external_url text, result jsonb, from_status text, to_status text)),
          attempts AS (
            INSERT INTO publish_attempts (post_id, version, attempt, outcome, status_code, error, duration_ms)
            SELECT id, version, attempt, outcome, status_code, error, duration_ms FROM input),
          changed AS (
            UPDATE posts p SET status = i.to_status, updated_at = now(),
                   published_at = CASE WHEN i.to_status = 'published' THEN now() END,
                   external_id = i.external_id, external_url = i.external_url, outcome = i.result
              FROM input i
             WHERE p.id = i.id AND p.version = i.version AND p.status = i.from_status AND i.to_status IS NOT NULL
             RETURNING i.*)
          ${AUDIT_INSERT}
          SELECT workspace_id, 0, id, 'system', 'post.' || to_status, version, jsonb_build_object('status', from_status),
                 jsonb_build_object('status', to_status, 'externalId', external_id, 'attempts', attempt, 'error', error),
                 '', ''
            FROM changed
           ORDER BY workspace_id, id`;
}

function toTarget(r: Row, members: MembersJson): PublishTarget {
  const post = Object.assign(new PostEntity(), {
    id: r.id,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    authorUserId: r.author_user_id,
    authorApiKeyId: r.author_api_key_id,
    status: r.status,
    version: r.version,
    text: r.text,
    mediaUrls: r.media_urls,
    link: r.link,
    scheduledAt: r.scheduled_at,
    workflowVersionId: r.workflow_version_id,
    publishingStartedAt: r.publishing_started_at,
  });
  return {
    post,
    review: toReviewContext(post, r, members),
    workspacePaused: r.workspace_paused,
    channel: {
      id: r.channel_id,
      name: r.channel_name,
      network: r.network,
      handle: r.handle,
      paused: r.channel_paused,
      publisherKind: r.publisher_kind,
      publisherUrl: r.publisher_url,
      publisherSecret: r.publisher_secret,
    },
    contentRules: r.content_rules ?? NO_CONTENT_RULES,
    lastAttempt: r.last_attempt
      ? { outcome: r.last_attempt.outcome, createdAt: new Date(r.last_attempt.created_at) }
      : null,
  };
}
