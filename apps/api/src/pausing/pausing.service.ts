import { DomainError, transition, type Actor } from '@app/domain';
import {
  ApiKeyEntity,
  AuditRepository,
  ChannelEntity,
  OutboxRepository,
  PostEntity,
  PostsRepository,
  WorkspaceEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';

/** What a resume reports: the posts the pause stopped, to reschedule or resubmit. */
export interface Resumed<T> {
  target: T;
  stopped: PostEntity[];
}

/**
 * Pausing a workspace or a channel takes effect at once: the row is updated under
 * FOR NO KEY UPDATE, which waits for any publish whose gate is deciding right now
 * (those hold it FOR SHARE) and makes every later gate see the pause. Not FOR
 * UPDATE: that would also stop the foreign-key checks of audit entries written
 * meanwhile, and a publish finishing under the audit chain's lock would deadlock
 * with the lockdown waiting for that lock. Nothing is fired in a burst on resume:
 * posts blocked by the pause stay blocked and are listed.
 */
@Injectable()
export class PausingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditRepository,
    private readonly posts: PostsRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * "Suspected hack": in one transaction, pause the workspace, revoke every API key,
   * end every login session in it but the caller's, and send every approved or
   * in-review post back for new sign-offs (a new version, so sign-offs given before
   * the lockdown stop counting). One audit entry lists what was done.
   */
  lockdown(
    actor: Actor,
  ): Promise<{ workspace: WorkspaceEntity; apiKeysRevoked: string[]; postsNeedingSignOff: string[] }> {
    return this.db.transaction(async (em) => {
      const workspace = await this.lock(WorkspaceEntity, { id: actor.workspaceId }, em, 'Workspace');
      const at = new Date();
      Object.assign(workspace, {
        paused: true,
        pausedReason: 'Lockdown: suspected compromise',
        sessionsRevokedAt: at,
        // The caller's session only: their other sessions end with everyone else's.
        sessionsRevokedExcept: actor.kind === 'user' ? (actor.sessionId ?? null) : null,
      });
      await em.save(workspace);

      const keys = await em.find(ApiKeyEntity, {
        where: { workspaceId: actor.workspaceId, revokedAt: IsNull() },
      });
      if (keys.length > 0)
        await em.update(ApiKeyEntity, { id: In(keys.map((k) => k.id)) }, { revokedAt: at });

      const posts = await em.find(PostEntity, {
        where: { workspaceId: actor.workspaceId, status: In(['approved', 'in_review']) },
        lock: { mode: 'pessimistic_write' },
      });
      for (const post of posts) {
        if (post.status === 'approved') await this.outbox.unschedulePublish(post.id, post.version, em);
        // A new version by nobody, as an edit would make: it needs every sign-off again.
        post.version += 1;
        transition(post, 'edit');
        await this.posts.save(post, em);
        // A revision by nobody: the lockdown itself, so no one is barred from signing off.
        await this.posts.addRevision(post, { editorUserId: null, editorApiKeyId: null }, ['lockdown'], em);
      }
      const done = {
        paused: true,
        sessionsRevokedAt: at.toISOString(),
        apiKeysRevoked: keys.map((k) => k.id),
        postsNeedingSignOff: posts.map((p) => p.id),
      };
      await this.audit.append({ ...auditActor(actor), action: 'workspace.lockdown', after: done }, em);
      return {
        workspace,
        apiKeysRevoked: done.apiKeysRevoked,
        postsNeedingSignOff: done.postsNeedingSignOff,
      };
    });
  }

  pauseWorkspace(actor: Actor, reason: string): Promise<WorkspaceEntity> {
    return this.db.transaction(async (em) => {
      const workspace = await this.lock(WorkspaceEntity, { id: actor.workspaceId }, em, 'Workspace');
      Object.assign(workspace, { paused: true, pausedReason: reason });
      await em.save(workspace);
      await this.audit.append({ ...auditActor(actor), action: 'workspace.paused', after: { reason } }, em);
      return workspace;
    });
  }

  resumeWorkspace(actor: Actor): Promise<Resumed<WorkspaceEntity>> {
    return this.db.transaction(async (em) => {
      const workspace = await this.lock(WorkspaceEntity, { id: actor.workspaceId }, em, 'Workspace');
      const before = { paused: workspace.paused, reason: workspace.pausedReason };
      Object.assign(workspace, { paused: false, pausedReason: null });
      await em.save(workspace);
      const stopped = await this.stoppedBy(em, actor.workspaceId, 'workspace_paused');
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'workspace.resumed',
          before,
          after: { stoppedPosts: stopped.map((p) => p.id) },
        },
        em,
      );
      return { target: workspace, stopped };
    });
  }

  pauseChannel(actor: Actor, channelId: string, reason: string): Promise<ChannelEntity> {
    return this.db.transaction(async (em) => {
      const channel = await this.lock(
        ChannelEntity,
        { workspaceId: actor.workspaceId, id: channelId },
        em,
        'Channel',
      );
      Object.assign(channel, { paused: true, pausedReason: reason });
      await em.save(channel);
      await this.audit.append(
        { ...auditActor(actor), action: 'channel.paused', after: { channelId, reason } },
        em,
      );
      return channel;
    });
  }

  resumeChannel(actor: Actor, channelId: string): Promise<Resumed<ChannelEntity>> {
    return this.db.transaction(async (em) => {
      const channel = await this.lock(
        ChannelEntity,
        { workspaceId: actor.workspaceId, id: channelId },
        em,
        'Channel',
      );
      const before = { paused: channel.paused, reason: channel.pausedReason };
      Object.assign(channel, { paused: false, pausedReason: null });
      await em.save(channel);
      const stopped = (await this.stoppedBy(em, actor.workspaceId, 'channel_paused')).filter(
        (p) => p.channelId === channelId,
      );
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'channel.resumed',
          before: { channelId, ...before },
          after: { stoppedPosts: stopped.map((p) => p.id) },
        },
        em,
      );
      return { target: channel, stopped };
    });
  }

  private async lock<T extends WorkspaceEntity | ChannelEntity>(
    entity: new () => T,
    where: Partial<Record<keyof T, string>>,
    em: EntityManager,
    what: string,
  ): Promise<T> {
    const found = await em.findOne(entity, { where: where as never, lock: { mode: 'for_no_key_update' } });
    if (!found) throw DomainError.notFound(what);
    return found;
  }

  /** Posts the gate blocked for this kind of pause, newest first. */
  private stoppedBy(em: EntityManager, workspaceId: string, code: string): Promise<PostEntity[]> {
    return em
      .createQueryBuilder(PostEntity, 'p')
      .where("p.workspace_id = :workspaceId AND p.status = 'blocked'", { workspaceId })
      .andWhere(`p.outcome -> 'reasons' @> :reason::jsonb`, { reason: JSON.stringify([{ code }]) })
      .orderBy('p.scheduled_at', 'DESC')
      .limit(1000)
      .getMany();
  }
}
