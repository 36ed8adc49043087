import type { PostStatus } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { IdempotencyKeyEntity, PostEntity, PostRevisionEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** Which posts a list or calendar shows. */
export interface PostFilter {
  workspaceId: string;
  statuses?: PostStatus[];
  channelId?: string;
  authorUserId?: string;
  authorApiKeyId?: string;
  /** scheduledAt >= from */
  from?: Date;
  /** scheduledAt < to */
  to?: Date;
}

/** Posts with their revisions and the idempotency keys that created them. */
@Injectable()
export class PostsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findInWorkspace(
    workspaceId: string,
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<PostEntity | null> {
    return em.findOneBy(PostEntity, { workspaceId, id });
  }

  /** The post under a row lock (SELECT ... FOR UPDATE) for the rest of the transaction. */
  lockInWorkspace(workspaceId: string, id: string, em: EntityManager): Promise<PostEntity | null> {
    return em.findOne(PostEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The workspace's posts of these ids (others are left out), in the order given. */
  async findManyInWorkspace(workspaceId: string, ids: readonly string[]): Promise<PostEntity[]> {
    if (ids.length === 0) return [];
    const posts = await this.db.manager.findBy(PostEntity, { workspaceId, id: In([...ids]) });
    const byId = new Map(posts.map((p) => [p.id, p]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  save(post: PostEntity, em: EntityManager): Promise<PostEntity> {
    return em.save(PostEntity, post);
  }

  create(post: Partial<PostEntity>, em: EntityManager): Promise<PostEntity> {
    return em.save(PostEntity, em.create(PostEntity, post));
  }

  /**
   * Keeps the post as it now stands as a revision: who changed it (null for the
   * system, e.g. a lockdown) and which fields.
   */
  async addRevision(
    post: PostEntity,
    editor: { editorUserId: string | null; editorApiKeyId: string | null },
    changed: string[],
    em: EntityManager,
  ): Promise<void> {
    await em.insert(PostRevisionEntity, {
      postId: post.id,
      version: post.version,
      ...editor,
      changed,
      channelId: post.channelId,
      text: post.text,
      mediaUrls: post.mediaUrls,
      mediaAlt: post.mediaAlt,
      link: post.link,
      contentWarning: post.contentWarning,
      visibility: post.visibility,
      language: post.language,
      scheduledAt: post.scheduledAt,
      contentHash: post.contentHash,
    });
  }

  /** A workspace's posts in review or approved, locked, to recount their sign-offs after a membership change. */
  lockUnderReview(workspaceId: string, em: EntityManager): Promise<PostEntity[]> {
    return em.find(PostEntity, {
      where: { workspaceId, status: In(['approved', 'in_review']) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * What the reconciler looks at: approved posts due before `horizon`, and posts
   * stuck in publishing since before `stuckBefore`.
   */
  dueOrStuck(horizon: Date, stuckBefore: Date, limit: number): Promise<PostEntity[]> {
    return this.db.manager
      .createQueryBuilder(PostEntity, 'p')
      .where(
        "(p.status = 'approved' AND p.scheduled_at <= :horizon) OR (p.status = 'publishing' AND p.publishing_started_at < :stuckBefore)",
        { horizon, stuckBefore },
      )
      .orderBy('p.scheduled_at')
      .limit(limit)
      .getMany();
  }

  /** Posts waiting for sign-off that are due between now and `horizon` (the reminder job). */
  inReviewDueBefore(horizon: Date, limit: number): Promise<PostEntity[]> {
    return this.db.manager
      .createQueryBuilder(PostEntity, 'p')
      .where("p.status = 'in_review' AND p.scheduled_at > now() AND p.scheduled_at <= :horizon", { horizon })
      .orderBy('p.scheduled_at')
      .limit(limit)
      .getMany();
  }

  revisions(postId: string): Promise<PostRevisionEntity[]> {
    return this.db.manager.find(PostRevisionEntity, { where: { postId }, order: { createdAt: 'ASC' } });
  }

  /** Posts in time order (scheduledAt, id), keyset-paginated: stable while others insert. */
  async list(filter: PostFilter, limit: number, cursor?: string): Promise<Page<PostEntity>> {
    const qb = this.filtered(filter).limit(limit + 1);
    if (cursor) {
      const [scheduledAt, id] = decodeCursor(cursor, 2);
      qb.andWhere('(p.scheduled_at, p.id) > (:scheduledAt, :id)', { scheduledAt, id });
    }
    return toPage(await qb.getMany(), limit, (p) => [p.scheduledAt.toISOString(), p.id]);
  }

  /** Every post of a time range (the calendar), capped at `max` rows. */
  inRange(filter: PostFilter & { from: Date; to: Date }, max: number): Promise<PostEntity[]> {
    return this.filtered(filter).limit(max).getMany();
  }

  /**
   * Claims an Idempotency-Key for a new post. Inserting waits for a concurrent
   * request holding the same key to commit, so of N simultaneous requests one
   * claims it and the others then see its post.
   */
  async claimIdempotencyKey(
    entry: Pick<IdempotencyKeyEntity, 'workspaceId' | 'principal' | 'key' | 'requestHash'>,
    em: EntityManager,
  ): Promise<IdempotencyKeyEntity | 'claimed'> {
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKeyEntity)
      .values(entry)
      .orIgnore()
      .returning(['key'])
      .execute();
    if (inserted.raw && (inserted.raw as unknown[]).length > 0) return 'claimed';
    return em.findOneByOrFail(IdempotencyKeyEntity, {
      workspaceId: entry.workspaceId,
      principal: entry.principal,
      key: entry.key,
    });
  }

  async attachIdempotencyKey(
    entry: Pick<IdempotencyKeyEntity, 'workspaceId' | 'principal' | 'key'>,
    postId: string,
    em: EntityManager,
  ): Promise<void> {
    await em.update(IdempotencyKeyEntity, entry, { postId });
  }

  private filtered(f: PostFilter): SelectQueryBuilder<PostEntity> {
    const qb = this.db.manager
      .createQueryBuilder(PostEntity, 'p')
      .where('p.workspace_id = :workspaceId', { workspaceId: f.workspaceId })
      .orderBy('p.scheduled_at')
      .addOrderBy('p.id');
    if (f.statuses?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: f.statuses });
    if (f.channelId) qb.andWhere('p.channel_id = :channelId', { channelId: f.channelId });
    if (f.authorUserId) qb.andWhere('p.author_user_id = :authorUserId', { authorUserId: f.authorUserId });
    if (f.authorApiKeyId)
      qb.andWhere('p.author_api_key_id = :authorApiKeyId', { authorApiKeyId: f.authorApiKeyId });
    if (f.from) qb.andWhere('p.scheduled_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('p.scheduled_at < :to', { to: f.to });
    return qb;
  }
}
