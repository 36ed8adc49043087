import type { ApiKeyRole, Role } from './roles';

/** Who is acting, as resolved from the request's credentials and current membership. */
export type Actor = UserActor | ApiKeyActor;

export interface UserActor {
  kind: 'user';
  userId: string;
  workspaceId: string;
  role: Role;
}

export interface ApiKeyActor {
  kind: 'api-key';
  apiKeyId: string;
  workspaceId: string;
  role: ApiKeyRole;
}

/** Who wrote a post: a user, or an API key acting on its own account. */
export interface Authorship {
  authorUserId: string | null;
  authorApiKeyId: string | null;
}

/** Editors and above see every post of the workspace; contributors only their own. */
export function maySeeAllPosts(actor: Actor): boolean {
  return actor.role !== 'contributor';
}

/** True when the actor is the post's author (the same user, or the same API key). */
export function isAuthor(actor: Actor, post: Authorship): boolean {
  return actor.kind === 'user' ? post.authorUserId === actor.userId : post.authorApiKeyId === actor.apiKeyId;
}

/** Whether the actor may see and act on this post at all (contributors: only their own). */
export function mayActOnPost(actor: Actor, post: Authorship): boolean {
  return maySeeAllPosts(actor) || isAuthor(actor, post);
}
