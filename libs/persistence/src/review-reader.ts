import type {
  CountingContext,
  Decision,
  Role,
  WorkflowOptions,
  WorkflowSnapshot,
  WorkflowStage,
} from '@app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApprovalEntity, PostEntity } from './entities';
import { decisionOf } from './repositories/approvals.repository';

/** Everything the review rules and the gate need about one post. */
export interface ReviewContext {
  snapshot: WorkflowSnapshot | null;
  approvals: ApprovalEntity[];
  decisions: Decision[];
  ctx: CountingContext;
}

/** The review columns of a row selected with reviewColumns(). */
export interface ReviewColumns {
  version_id: string | null;
  workflow_id: string | null;
  workflow_version: number | null;
  stages: WorkflowStage[] | null;
  options: WorkflowOptions | null;
  approvals: Array<Omit<ApprovalEntity, 'createdAt'> & { createdAt: string }>;
  editors: string[];
}

/** A workspace's members as membersJson() selects them. */
export type MembersJson = Array<{ userId: string; role: Role }>;

/**
 * SQL select-list items giving a post's review context but for the workspace's
 * members (membersJson), for a query that joins `workflow_versions v` on the post's
 * snapshot; `post` and `version` are SQL expressions for the post's id and current version.
 */
export function reviewColumns(post: string, version: string): string {
  return `v.id AS version_id, v.workflow_id, v.version AS workflow_version, v.stages, v.options,
    (SELECT coalesce(json_agg(json_build_object(
              'id', a.id, 'postId', a.post_id, 'version', a.version, 'stageIndex', a.stage_index,
              'approverUserId', a.approver_user_id, 'onBehalfOfUserId', a.on_behalf_of_user_id, 'decision', a.decision, 'comment', a.comment,
              'via', a.via, 'createdAt', a.created_at) ORDER BY a.created_at, a.id), '[]')
       FROM approvals a WHERE a.post_id = ${post}) AS approvals,
    (SELECT coalesce(array_agg(DISTINCT r.editor_user_id::text) FILTER (WHERE r.editor_user_id IS NOT NULL), '{}')
       FROM post_revisions r WHERE r.post_id = ${post} AND r.version = ${version}) AS editors`;
}

/** SQL for the members of `workspace` (an SQL expression for its id) now, as JSON. */
export function membersJson(workspace: string): string {
  return `(SELECT coalesce(json_agg(json_build_object('userId', m.user_id, 'role', m.role)), '[]')
             FROM memberships m WHERE m.workspace_id = ${workspace})`;
}

/** The review context of `post` from a row selected with reviewColumns() and its workspace's members. */
export function toReviewContext(post: PostEntity, row: ReviewColumns, members: MembersJson): ReviewContext {
  const approvals = row.approvals.map((a) => ({ ...a, createdAt: new Date(a.createdAt) }));
  const excluded = new Set([...(post.authorUserId ? [post.authorUserId] : []), ...row.editors]);
  return {
    snapshot:
      row.version_id && row.workflow_id && row.stages && row.options && row.workflow_version !== null
        ? {
            workflowId: row.workflow_id,
            workflowVersionId: row.version_id,
            version: row.workflow_version,
            stages: row.stages,
            options: row.options,
          }
        : null,
    approvals,
    decisions: approvals.map(decisionOf),
    ctx: { version: post.version, excluded, members },
  };
}

/**
 * Reads a post's review context (its workflow snapshot, every decision, the
 * workspace's members now, the editors of its current version) in one round trip,
 * in the caller's transaction. The API and the worker's gate read it alike.
 */
@Injectable()
export class ReviewReader {
  async load(post: PostEntity, em: EntityManager): Promise<ReviewContext> {
    const [row] = await em.query<Array<ReviewColumns & { members: MembersJson }>>(
      `SELECT ${reviewColumns('$1', '$3')}, ${membersJson('$2')} AS members
         FROM (SELECT 1) one LEFT JOIN workflow_versions v ON v.id = $4`,
      [post.id, post.workspaceId, post.version, post.workflowVersionId],
    );
    return toReviewContext(post, row, row.members);
  }
}
