import { NO_CONTENT_RULES, type ContentRules, type PostStatus } from '@app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PostEntity, type ChannelEntity } from '../entities';
import { reviewColumns, toReviewContext, type ReviewColumns, type ReviewContext } from '../review-reader';

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
const AUDIT_INSERT = `INSERT INTO audit_events (workspace_id, seq, post_id, actor_kind, action, version, before, after, prev_hash, hash)`;

/**
 * The worker's hot path in as few round trips as it takes: each one is a write to a
 * socket, and on two cores those add up. The gate itself stays in libs/domain.
 */
@Injectable()
export class PublishingRepository {
  /**
   * One statement: the post FOR UPDATE, its workspace and channel FOR SHARE (a pause
   * that committed first is seen; one that comes later waits for our decision), the
   * review context and the last attempt at this version.
   */
  async lock(workspaceId: string, postId: string, em: EntityManager): Promise<PublishTarget | null> {
    const rows = await em.query<Row[]>(
      `SELECT p.id, p.workspace_id, p.channel_id, p.author_user_id, p.author_api_key_id, p.status, p.version, p.text,
              p.media_urls, p.link, p.scheduled_at, p.workflow_version_id, p.publishing_started_at,
              w.paused AS workspace_paused, c.name AS channel_name, c.network, c.handle, c.paused AS channel_paused,
              c.publisher_kind, c.publisher_url, c.publisher_secret,
              (SELECT json_build_object('outcome', a.outcome, 'created_at', a.created_at)
                 FROM publish_attempts a WHERE a.post_id = p.id AND a.version = p.version ORDER BY a.id DESC LIMIT 1) AS last_attempt,
              (SELECT cr.rules FROM content_rules cr WHERE cr.workspace_id = p.workspace_id) AS content_rules,
              ${reviewColumns('p.id', 'p.workspace_id', 'p.version')}
         FROM posts p
         JOIN workspaces w ON w.id = p.workspace_id
         JOIN channels c ON c.id = p.channel_id
         LEFT JOIN workflow_versions v ON v.id = p.workflow_version_id
        WHERE p.id = $1 AND p.workspace_id = $2
          FOR UPDATE OF p FOR SHARE OF w, c`,
      [postId, workspaceId],
    );
    const r = rows[0];
    if (!r) return null;
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
      review: toReviewContext(post, r),
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

  /** Renews the publishing lease (a takeover). */
  async renewLease(postId: string, em: EntityManager): Promise<void> {
    await em.query(`UPDATE posts SET publishing_started_at = now() WHERE id = $1`, [postId]);
  }

  /** Changes a locked post's status and records it in the audit log, in one statement. */
  async transition(
    post: PostEntity,
    status: PostStatus,
    outcome: object | null,
    audit: TransitionAudit,
    em: EntityManager,
  ): Promise<void> {
    await em.query(
      `WITH changed AS (
         UPDATE posts SET status = $2, outcome = coalesce($3::jsonb, outcome), updated_at = now(),
                publishing_started_at = CASE WHEN $2 = 'publishing' THEN now() ELSE publishing_started_at END
          WHERE id = $1 RETURNING id)
       ${AUDIT_INSERT}
       SELECT $4, 0, $1, 'system', $5, $6, $7::jsonb, $8::jsonb, '', '' FROM changed`,
      [
        post.id,
        status,
        outcome && JSON.stringify(outcome),
        post.workspaceId,
        audit.action,
        post.version,
        JSON.stringify(audit.before),
        JSON.stringify(audit.after),
      ],
    );
  }

  /**
   * Records an attempt and, unless it is to be retried, moves the post from
   * `publishing` to published or failed with its audit entry: one statement, so
   * one round trip and one commit. Nothing moves if the post already left
   * `publishing` at this version.
   */
  async finish(
    post: PostEntity,
    attempt: {
      number: number;
      outcome: 'published' | 'retry' | 'failed';
      statusCode: number | null;
      error: string | null;
      durationMs: number;
    },
    result: { externalId: string | null; url: string | null; outcome: object | null },
    em: EntityManager,
  ): Promise<void> {
    await em.query(
      `WITH attempt AS (
         INSERT INTO publish_attempts (post_id, version, attempt, outcome, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)),
       changed AS (
         UPDATE posts SET status = $4, updated_at = now(),
                published_at = CASE WHEN $4 = 'published' THEN now() END,
                external_id = $8, external_url = $9, outcome = $10::jsonb
          WHERE id = $1 AND version = $2 AND status = 'publishing' AND $4 <> 'retry'
          RETURNING id)
       ${AUDIT_INSERT}
       SELECT $11, 0, $1, 'system', 'post.' || $4, $2, '{"status":"publishing"}'::jsonb,
              jsonb_build_object('status', $4::text, 'externalId', $8::text, 'attempts', $3::int, 'error', $6::text), '', ''
         FROM changed`,
      [
        post.id,
        post.version,
        attempt.number,
        attempt.outcome,
        attempt.statusCode,
        attempt.error,
        attempt.durationMs,
        result.externalId,
        result.url,
        result.outcome && JSON.stringify(result.outcome),
        post.workspaceId,
      ],
    );
  }
}
