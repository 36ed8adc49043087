import type { CountingContext, Decision, WorkflowSnapshot } from '@app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApprovalEntity, PostEntity } from './entities';
import { ApprovalsRepository, decisionOf } from './repositories/approvals.repository';
import { PostsRepository } from './repositories/posts.repository';
import { snapshotOf, WorkflowsRepository } from './repositories/workflows.repository';
import { WorkspacesRepository } from './repositories/workspaces.repository';

/** Everything the review rules and the gate need about one post. */
export interface ReviewContext {
  snapshot: WorkflowSnapshot | null;
  approvals: ApprovalEntity[];
  decisions: Decision[];
  ctx: CountingContext;
}

/** Reads a post's review context in the caller's transaction (the API and the worker read it alike). */
@Injectable()
export class ReviewReader {
  constructor(
    private readonly posts: PostsRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly workflows: WorkflowsRepository,
    private readonly workspaces: WorkspacesRepository,
  ) {}

  async load(post: PostEntity, em: EntityManager): Promise<ReviewContext> {
    const version = post.workflowVersionId
      ? await this.workflows.findVersion(post.workflowVersionId, em)
      : null;
    const approvals = await this.approvals.forPost(post.id, em);
    const members = await this.workspaces.members(post.workspaceId, em);
    const editors = await this.posts.editorsOf(post.id, post.version, em);
    const excluded = new Set([...(post.authorUserId ? [post.authorUserId] : []), ...editors]);
    return {
      snapshot: version ? snapshotOf(version) : null,
      approvals,
      decisions: approvals.map(decisionOf),
      ctx: { version: post.version, excluded, members },
    };
  }
}
