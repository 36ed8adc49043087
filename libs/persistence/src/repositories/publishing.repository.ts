import type { PostStatus } from '@app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PostEntity, type ChannelEntity } from '../entities';

/** A post locked for publishing, with its workspace's and channel's state read under share locks. */
export interface PublishTarget {
  post: PostEntity;
  workspacePaused: boolean;
  channel: Pick<
    ChannelEntity,
    'id' | 'name' | 'network' | 'handle' | 'paused' | 'publisherKind' | 'publisherUrl' | 'publisherSecret'
  >;
  lastAttempt: { outcome: string; createdAt: Date } | null;
}

interface Row {
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
}

/** The worker's hot path, in as few round trips as it takes. */
@Injectable()
export class PublishingRepository {
  /**
   * One statement: the post FOR UPDATE, its workspace and channel FOR SHARE (a pause
   * that committed first is seen; one that comes later waits for our decision), and
   * the last attempt at this version.
   */
  async lock(workspaceId: string, postId: string, em: EntityManager): Promise<PublishTarget | null> {
    const rows = await em.query<Row[]>(
      `SELECT p.id, p.workspace_id, p.channel_id, p.author_user_id, p.author_api_key_id, p.status, p.version, p.text,
              p.media_urls, p.link, p.scheduled_at, p.workflow_version_id, p.publishing_started_at,
              w.paused AS workspace_paused, c.name AS channel_name, c.network, c.handle, c.paused AS channel_paused,
              c.publisher_kind, c.publisher_url, c.publisher_secret,
              (SELECT json_build_object('outcome', a.outcome, 'created_at', a.created_at)
                 FROM publish_attempts a WHERE a.post_id = p.id AND a.version = p.version ORDER BY a.id DESC LIMIT 1) AS last_attempt
         FROM posts p
         JOIN workspaces w ON w.id = p.workspace_id
         JOIN channels c ON c.id = p.channel_id
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
      lastAttempt: r.last_attempt
        ? { outcome: r.last_attempt.outcome, createdAt: new Date(r.last_attempt.created_at) }
        : null,
    };
  }

  async setStatus(postId: string, changes: Partial<PostEntity>, em: EntityManager): Promise<void> {
    await em.update(PostEntity, { id: postId }, changes);
  }

  /**
   * Moves a post out of `publishing` (to published or failed) if it is still there at
   * this version; false when something else already did.
   */
  async finishIfPublishing(
    postId: string,
    version: number,
    changes: Partial<PostEntity>,
    em: EntityManager,
  ): Promise<boolean> {
    const result = await em.update(PostEntity, { id: postId, version, status: 'publishing' }, changes);
    return (result.affected ?? 0) > 0;
  }
}
