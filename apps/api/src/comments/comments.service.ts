import {
  authorshipOf,
  DomainError,
  ErrorCode,
  maySeeComment,
  mentionsIn,
  personOf,
  seesTeamComments,
  type Actor,
  type CommentVisibility,
} from '@app/domain';
import {
  AuditRepository,
  CommentsRepository,
  OutboxRepository,
  PostsRepository,
  UsersRepository,
  WorkspacesRepository,
  type PostComment,
  type PostEntity,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import { findVisiblePost, lockVisiblePost } from '../posts/visible-post';
import type { CreateCommentDto, EditCommentDto } from './comment.dto';
import type { CommentView } from './comment.views';

/** What a comment's author is, for the edit and delete rules. */
const isAuthorOf = (actor: Actor, c: PostComment): boolean =>
  actor.kind === 'api-key'
    ? c.authorApiKeyId === actor.apiKeyId
    : c.authorUserId === actor.userId && c.authorApiKeyId === null;

/**
 * Comments where the post lives. Who sees what is one rule (`maySeeComment`):
 * a contributor or reviewer never learns a `team` comment exists, not in a list,
 * a reply, a mail or an error message (another's comment is a 404, as another
 * workspace's is). Writes happen under the post's row lock, so the version a
 * comment records is the one the post had.
 */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsRepository,
    private readonly comments: CommentsRepository,
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async list(actor: Actor, postId: string): Promise<CommentView[]> {
    const post = await findVisiblePost(this.posts, actor, postId);
    return this.views(post, await this.comments.list(post.id, seesTeamComments(actor.role)));
  }

  create(actor: Actor, postId: string, dto: CreateCommentDto): Promise<CommentView> {
    return this.db.transaction(async (em) => {
      const post = await lockVisiblePost(this.posts, actor, postId, em);
      const visibility: CommentVisibility =
        dto.visibility ?? (seesTeamComments(actor.role) ? 'team' : 'everyone');
      if (!maySeeComment(actor.role, visibility)) {
        throw new DomainError(ErrorCode.Forbidden, 'Contributors write comments everyone on the post sees.', [
          { field: 'visibility', message: 'must be everyone for your role' },
        ]);
      }
      if (dto.parentId) await this.assertParent(actor, post, dto.parentId, visibility, em);
      const comment = await this.comments.create(
        {
          workspaceId: actor.workspaceId,
          postId: post.id,
          parentId: dto.parentId ?? null,
          ...authorshipOf(actor),
          visibility,
          body: dto.body,
          mentions: await this.members(actor.workspaceId, mentionsIn(dto.body), em),
          postVersion: post.version,
        },
        em,
      );
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: post.id,
          version: post.version,
          action: 'comment.added',
          after: { commentId: comment.id, visibility, parentId: comment.parentId },
        },
        em,
      );
      await this.mailMentions(actor, comment, [], em);
      return (await this.views(post, [comment], em))[0];
    });
  }

  edit(actor: Actor, postId: string, commentId: string, dto: EditCommentDto): Promise<CommentView> {
    return this.db.transaction(async (em) => {
      const { post, comment } = await this.ownComment(actor, postId, commentId, em);
      const mentions = await this.members(actor.workspaceId, mentionsIn(dto.body), em);
      const edited = await this.comments.edit(comment.id, dto.body, mentions, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: post.id,
          version: post.version,
          action: 'comment.edited',
          after: { commentId: comment.id },
        },
        em,
      );
      await this.mailMentions(actor, edited, comment.mentions, em);
      return (await this.views(post, [edited], em))[0];
    });
  }

  async remove(actor: Actor, postId: string, commentId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const { post, comment } = await this.ownComment(actor, postId, commentId, em);
      await this.comments.tombstone(comment.id, em);
      await this.audit.append(
        {
          ...auditActor(actor),
          postId: post.id,
          version: post.version,
          action: 'comment.deleted',
          before: { commentId: comment.id },
        },
        em,
      );
    });
  }

  /** The actor's own comment, not deleted, on a post they may see; anyone else's is refused. */
  private async ownComment(actor: Actor, postId: string, commentId: string, em: EntityManager) {
    const post = await lockVisiblePost(this.posts, actor, postId, em);
    const comment = await this.comments.lock(post.id, commentId, em);
    if (!comment || !maySeeComment(actor.role, comment.visibility)) throw DomainError.notFound('Comment');
    if (!isAuthorOf(actor, comment)) {
      throw new DomainError(ErrorCode.Forbidden, 'Only its author may change or delete a comment.');
    }
    if (comment.deletedAt) throw new DomainError(ErrorCode.Conflict, 'The comment was deleted.');
    return { post, comment };
  }

  /** A reply's parent: a top-level comment of the same post the actor sees; a team thread stays in the team. */
  private async assertParent(
    actor: Actor,
    post: PostEntity,
    parentId: string,
    visibility: CommentVisibility,
    em: EntityManager,
  ): Promise<void> {
    const parent = await this.comments.lock(post.id, parentId, em);
    if (!parent || !maySeeComment(actor.role, parent.visibility)) {
      throw DomainError.invalid('parentId', 'is not a comment of this post');
    }
    if (parent.parentId) throw DomainError.invalid('parentId', 'is a reply; reply to the comment it answers');
    if (parent.visibility === 'team' && visibility === 'everyone') {
      throw DomainError.invalid(
        'visibility',
        'must be team: the comment it answers is seen by the team only',
      );
    }
  }

  /** The mentioned users who are members of the workspace (others are not named or told). */
  private async members(workspaceId: string, ids: string[], em: EntityManager): Promise<string[]> {
    if (ids.length === 0) return [];
    const members = new Set((await this.workspaces.members(workspaceId, em)).map((m) => m.userId));
    return ids.filter((id) => members.has(id));
  }

  /** One mail per member newly mentioned (not the writer); the worker checks they may see it. */
  private async mailMentions(
    actor: Actor,
    comment: PostComment,
    toldBefore: readonly string[],
    em: EntityManager,
  ): Promise<void> {
    const writer = personOf(actor);
    for (const userId of comment.mentions) {
      if (userId === writer || toldBefore.includes(userId)) continue;
      await this.outbox.push(
        {
          topic: 'mail.account',
          payload: {
            kind: 'comment_mention',
            workspaceId: comment.workspaceId,
            commentId: comment.id,
            userId,
          },
        },
        em,
      );
    }
  }

  private async views(post: PostEntity, comments: PostComment[], em?: EntityManager): Promise<CommentView[]> {
    const people = await this.users.people(
      comments.flatMap((c) => [...(c.authorUserId ? [c.authorUserId] : []), ...c.mentions]),
      em,
    );
    const nameOf = (id: string) => people.get(id)?.name ?? 'Former user';
    return comments.map((c) => ({
      id: c.id,
      postId: c.postId,
      parentId: c.parentId,
      visibility: c.visibility,
      body: c.body,
      mentions: c.mentions.map((id) => ({ id, name: nameOf(id) })),
      author: c.authorApiKeyId
        ? {
            kind: 'api-key' as const,
            id: c.authorApiKeyId,
            name: c.authorUserId ? nameOf(c.authorUserId) : 'API key',
          }
        : c.authorUserId
          ? { kind: 'user' as const, id: c.authorUserId, name: nameOf(c.authorUserId) }
          : null,
      postVersion: c.postVersion,
      onOlderVersion: c.postVersion < post.version,
      createdAt: c.createdAt.toISOString(),
      editedAt: c.editedAt?.toISOString() ?? null,
      deletedAt: c.deletedAt?.toISOString() ?? null,
    }));
  }
}
