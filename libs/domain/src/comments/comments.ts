import type { Role } from '../access';
import { isUuid } from '../errors';

/**
 * Who sees a comment on a post: `team` comments stay among the brand's people
 * (owners, admins, editors, approvers); `everyone` comments are also seen by the
 * post's contributor (the agency that wrote it) and its outside reviewers.
 */
export const COMMENT_VISIBILITIES = ['team', 'everyone'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

const TEAM: ReadonlySet<Role> = new Set<Role>(['owner', 'admin', 'editor', 'approver']);

/** Whether `role` sees (and may write) `team` comments. */
export const seesTeamComments = (role: Role): boolean => TEAM.has(role);

/** Whether someone of `role` may see a comment of `visibility` (on a post they may see at all). */
export const maySeeComment = (role: Role, visibility: CommentVisibility): boolean =>
  visibility === 'everyone' || seesTeamComments(role);

/** A mention as written in a comment: `@[<user id>]`. */
const MENTION = /@\[([0-9a-fA-F-]{36})\]/g;

/** The users a comment mentions, each once, in order. */
export function mentionsIn(body: string): string[] {
  const ids = [...body.matchAll(MENTION)].map((m) => m[1].toLowerCase()).filter(isUuid);
  return [...new Set(ids)];
}

/** The comment with each mention written as `@Name` (`@someone` for a name not given). */
export const withNames = (body: string, names: ReadonlyMap<string, string>): string =>
  body.replace(MENTION, (_, id: string) => `@${names.get(id.toLowerCase()) ?? 'someone'}`);
