import { DomainError, mayActOnPost, type Actor } from '@app/domain';
import type { PostEntity, PostsRepository } from '@app/persistence';
import type { EntityManager } from 'typeorm';

/**
 * The post of the actor's workspace that the actor may act on, locked for the rest
 * of the transaction. Another workspace's post, or another contributor's, is a 404:
 * its existence is not theirs to learn.
 */
export async function lockVisiblePost(
  posts: PostsRepository,
  actor: Actor,
  id: string,
  em: EntityManager,
): Promise<PostEntity> {
  return visibleOr404(actor, await posts.lockInWorkspace(actor.workspaceId, id, em));
}

/** The same post, read without a lock. */
export async function findVisiblePost(
  posts: PostsRepository,
  actor: Actor,
  id: string,
  em?: EntityManager,
): Promise<PostEntity> {
  return visibleOr404(actor, await posts.findInWorkspace(actor.workspaceId, id, em));
}

function visibleOr404(actor: Actor, post: PostEntity | null): PostEntity {
  if (!post || !mayActOnPost(actor, post)) throw DomainError.notFound('Post');
  return post;
}
