import {
  NO_CONTENT_RULES,
  type ContentRules,
  type PostStatus,
  type PostVisibility,
  type ReplyRef,
  type StatusChange,
  isUuid,
} from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { PostEntity, type ChannelEntity } from '../entities';
import { toReviewContext, type MembersJson, type ReviewColumns, type ReviewContext } from '../review-reader';
import {
  BY_KEY,
  dollarQuoted,
  finishStatement,
  lockParents,
  lockPosts,
  transitionStatement,
  workspaceMembers,
} from './publishing.statements';

/** A post locked for publishing, with what the gate needs, read under the same locks. */
export interface PublishTarget {
  post: PostEntity;
  review: ReviewContext;
  workspacePaused: boolean;
  campaign: { paused: boolean; reason: string | null } | null;
  channel: Pick<
    ChannelEntity,
    | 'id'
    | 'name'
    | 'network'
    | 'handle'
    | 'paused'
    | 'publisherKind'
    | 'publisherUrl'
    | 'publisherSecret'
    | 'publisherConfig'
    | 'publisherCredentials'
    | 'reconnectReason'
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
  media_alt: string[];
  link: string | null;
  content_warning: string | null;
  visibility: PostVisibility;
  language: string | null;
  reply_to_mention_id: string | null;
  reply_ref: ReplyRef | null;
  scheduled_at: Date;
  workflow_version_id: string | null;
  publishing_started_at: Date | null;
  created_at: Date;
  campaign_id: string | null;
  workspace_paused: boolean;
  campaign_paused: boolean | null;
  campaign_pause_reason: string | null;
  channel_name: string;
  network: ChannelEntity['network'];
  handle: string | null;
  channel_paused: boolean;
  publisher_kind: ChannelEntity['publisherKind'];
  publisher_url: string | null;
  publisher_secret: string | null;
  publisher_config: ChannelEntity['publisherConfig'];
  publisher_credentials: string | null;
  reconnect_reason: string | null;
  last_attempt: { outcome: string; created_at: string } | null;
  content_rules: ContentRules | null;
}

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
      reply_to_mention_id: f.post.replyToMentionId,
    }));
    const runner = this.db.createQueryRunner();
    const locks = new PublishingLocks(runner, (await runner.connect()) as PoolClient);
    const statement = finishStatement(
      dollarQuoted(JSON.stringify(input)),
      input.some((f) => f.reply_to_mention_id !== null),
    );
    await locks.end(`BEGIN; ${BY_KEY}; ${statement}; COMMIT`);
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
  const ids = [...new Set(postIds)].filter((id) => isUuid(id));
  const list = `${client.escapeLiteral(`{${ids.join(',')}}`)}::uuid[]`;
  const results = (await client.query(
    `${prefix}${lockParents(list)}; ${lockPosts(list, skipLocked)}; ${workspaceMembers(list)}`,
  )) as unknown as QueryResult[];
  const [parents, posts, members] = results.slice(-3) as [
    QueryResult<{ channels: string[]; campaigns: string[] }>,
    QueryResult<Row>,
    QueryResult<{ workspace_id: string; members: MembersJson }>,
  ];
  const locked = new Set([...parents.rows[0].channels, ...parents.rows[0].campaigns]);
  const membersOf = new Map(members.rows.map((m) => [m.workspace_id, m.members]));
  const targets = new Map<string, PublishTarget | 'busy'>();
  if (skipLocked) for (const id of ids) targets.set(id, 'busy');
  // A post moved to another channel or campaign since the first statement: that one is not held yet.
  for (const r of posts.rows) {
    const held = locked.has(r.channel_id) && (r.campaign_id === null || locked.has(r.campaign_id));
    targets.set(r.id, held ? toTarget(r, membersOf.get(r.workspace_id) ?? []) : 'busy');
  }
  return targets;
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
    mediaAlt: r.media_alt,
    link: r.link,
    contentWarning: r.content_warning,
    visibility: r.visibility,
    language: r.language,
    replyToMentionId: r.reply_to_mention_id,
    replyRef: r.reply_ref,
    scheduledAt: r.scheduled_at,
    workflowVersionId: r.workflow_version_id,
    publishingStartedAt: r.publishing_started_at,
    createdAt: r.created_at,
  });
  return {
    post,
    review: toReviewContext(post, r, members),
    workspacePaused: r.workspace_paused,
    campaign:
      r.campaign_paused === null ? null : { paused: r.campaign_paused, reason: r.campaign_pause_reason },
    channel: {
      id: r.channel_id,
      name: r.channel_name,
      network: r.network,
      handle: r.handle,
      paused: r.channel_paused,
      publisherKind: r.publisher_kind,
      publisherUrl: r.publisher_url,
      publisherSecret: r.publisher_secret,
      publisherConfig: r.publisher_config,
      publisherCredentials: r.publisher_credentials,
      reconnectReason: r.reconnect_reason,
    },
    contentRules: r.content_rules ?? NO_CONTENT_RULES,
    lastAttempt: r.last_attempt
      ? { outcome: r.last_attempt.outcome, createdAt: new Date(r.last_attempt.created_at) }
      : null,
  };
}
