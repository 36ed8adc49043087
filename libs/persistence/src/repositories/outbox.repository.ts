import type { AccountMail } from '@app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxEntity, type PostEntity } from '../entities';

/** What the outbox carries. */
export type OutboxMessage =
  | {
      topic: 'publish.schedule';
      payload: {
        postId: string;
        workspaceId: string;
        channelId: string;
        version: number;
        scheduledAt: string;
      };
    }
  | { topic: 'publish.unschedule'; payload: { postId: string; version: number } }
  /** written by a trigger on audit_events for each subscribed event */
  | { topic: 'webhook.deliver'; payload: { subscriptionId: string; workspaceId: string; seq: string } }
  /** written by a trigger on audit_events for the actions people are told about */
  | { topic: 'mail.notify'; payload: { workspaceId: string; seq: string } }
  | { topic: 'mail.account'; payload: AccountMail };

/** Intents for the worker, written in the caller's transaction; the relay turns them into jobs. */
@Injectable()
export class OutboxRepository {
  async push(message: OutboxMessage, em: EntityManager): Promise<void> {
    await em.insert(OutboxEntity, message);
  }

  /** The publish job of this post's current version is (re)placed at its scheduledAt. */
  schedulePublish(post: PostEntity, em: EntityManager): Promise<void> {
    return this.push(
      {
        topic: 'publish.schedule',
        payload: {
          postId: post.id,
          workspaceId: post.workspaceId,
          channelId: post.channelId,
          version: post.version,
          scheduledAt: post.scheduledAt.toISOString(),
        },
      },
      em,
    );
  }

  unschedulePublish(postId: string, version: number, em: EntityManager): Promise<void> {
    return this.push({ topic: 'publish.unschedule', payload: { postId, version } }, em);
  }

  /**
   * The oldest messages no other relay holds (FOR UPDATE SKIP LOCKED), locked until
   * commit. With `holdMailMs`, mail younger than that stays where it is for now.
   */
  async claim(
    limit: number,
    em: EntityManager,
    holdMailMs = 0,
  ): Promise<Array<OutboxMessage & { id: string }>> {
    return em.query(
      `SELECT id, topic, payload FROM outbox
        WHERE $2::int = 0 OR topic <> 'mail.notify' OR created_at < now() - $2::int * interval '1 millisecond'
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit, holdMailMs],
    );
  }

  async remove(ids: string[], em: EntityManager): Promise<void> {
    if (ids.length > 0) await em.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }
}
