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

/** What is paused: the whole workspace, or one of its channels. */
export type PauseTarget = { kind: 'workspace' } | { kind: 'channel'; channelId: string };
type PausedEntity<T extends PauseTarget> = T extends { kind: 'workspace' } ? WorkspaceEntity : ChannelEntity;

const NO_KEY_UPDATE = { mode: 'for_no_key_update' } as const;

/** How each kind of pause is audited, and the gate reason its stopped posts carry. */
const scopeOf = (target: PauseTarget) =>
  target.kind === 'workspace'
    ? {
        paused: 'workspace.paused',
        resumed: 'workspace.resumed',
        reason: 'workspace_paused',
        detail: {},
      }
    : {
        paused: 'channel.paused',
        resumed: 'channel.resumed',
        reason: 'channel_paused',
        detail: { channelId: target.channelId },
      };

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
      const workspace = await this.lockTarget(actor, { kind: 'workspace' }, em);
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

  /** Pauses a workspace or one of its channels: every gate from now on refuses its posts. */
  pause<T extends PauseTarget>(actor: Actor, target: T, reason: string): Promise<PausedEntity<T>> {
    const scope = scopeOf(target);
    return this.db.transaction(async (em) => {
      const row = await this.lockTarget(actor, target, em);
      Object.assign(row, { paused: true, pausedReason: reason });
      await em.save(row);
      await this.audit.append(
        { ...auditActor(actor), action: scope.paused, after: { ...scope.detail, reason } },
        em,
      );
      return row;
    });
  }

  /** Resumes it; the posts that the pause stopped stay blocked and are listed. */
  resume<T extends PauseTarget>(actor: Actor, target: T): Promise<Resumed<PausedEntity<T>>> {
    const scope = scopeOf(target);
    return this.db.transaction(async (em) => {
      const row = await this.lockTarget(actor, target, em);
      const before = { paused: row.paused, reason: row.pausedReason };
      Object.assign(row, { paused: false, pausedReason: null });
      await em.save(row);
      const stopped = (await this.stoppedBy(em, actor.workspaceId, scope.reason)).filter(
        (p) => target.kind === 'workspace' || p.channelId === target.channelId,
      );
      await this.audit.append(
        {
          ...auditActor(actor),
          action: scope.resumed,
          before: { ...scope.detail, ...before },
          after: { stoppedPosts: stopped.map((p) => p.id) },
        },
        em,
      );
      return { target: row, stopped };
    });
  }

  /** The row under FOR NO KEY UPDATE (see above); another workspace's channel is a 404. */
  private async lockTarget<T extends PauseTarget>(
    actor: Actor,
    target: T,
    em: EntityManager,
  ): Promise<PausedEntity<T>> {
    const found =
      target.kind === 'workspace'
        ? await em.findOne(WorkspaceEntity, { where: { id: actor.workspaceId }, lock: NO_KEY_UPDATE })
        : await em.findOne(ChannelEntity, {
            where: { workspaceId: actor.workspaceId, id: target.channelId },
            lock: NO_KEY_UPDATE,
          });
    if (!found) throw DomainError.notFound(target.kind === 'workspace' ? 'Workspace' : 'Channel');
    return found as PausedEntity<T>;
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
