import type { ApiKeyRole, Role } from './roles';

/** Who is acting, as resolved from the request's credentials and current membership. */
export type Actor = UserActor | ApiKeyActor;

export interface UserActor {
  kind: 'user';
  userId: string;
  /** the login session acting (absent outside HTTP, e.g. an e-mail link) */
  sessionId?: string | null;
  workspaceId: string;
  role: Role;
}

/**
 * A key acts on behalf of the person who created it: for the two-person rule what
 * it writes is that person's work, so their own sign-off on it never counts.
 */
export interface ApiKeyActor {
  kind: 'api-key';
  apiKeyId: string;
  /** the member who created the key */
  onBehalfOf: string;
  workspaceId: string;
  role: ApiKeyRole;
}

/** Who wrote a post: a user, or an API key (and the person it acts for). */
export interface Authorship {
  authorUserId: string | null;
  authorApiKeyId: string | null;
}

/** The person answerable for what the actor does: the user, or the key's creator. */
export function personOf(actor: Actor): string {
  return actor.kind === 'user' ? actor.userId : actor.onBehalfOf;
}

/** The authorship columns of what `actor` writes now. */
export function authorshipOf(actor: Actor): Authorship {
  return {
    authorUserId: personOf(actor),
    authorApiKeyId: actor.kind === 'api-key' ? actor.apiKeyId : null,
  };
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
