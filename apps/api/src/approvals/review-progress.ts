import { openStageIndex, stageProgress } from '@app/domain';
import { ReviewReader, UsersRepository, type PostEntity } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { postView, type PostView, type ReviewProgressView } from '../posts/post.views';

/** The read side of approvals: where a post's current version stands, stage by stage. */
@Injectable()
export class ReviewProgress {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reader: ReviewReader,
    private readonly users: UsersRepository,
  ) {}

  /** The post as GET post, submit and approvals answer it: with its review progress. */
  async postView(post: PostEntity, zone: string): Promise<PostView> {
    return { ...postView(post, zone), review: await this.progress(post) };
  }

  /** Stage-by-stage progress of the post's current version, as GET post shows it. */
  async progress(post: PostEntity): Promise<ReviewProgressView | null> {
    if (!post.workflowVersionId) return null;
    const review = await this.reader.load(post, this.db.manager);
    if (!review.snapshot) return null;
    const stages = stageProgress(review.snapshot.stages, review.decisions, review.ctx);
    const open = openStageIndex(stages);
    const current = review.approvals.filter((a) => a.version === post.version);
    const at = (userId: string) =>
      current.find((a) => a.approverUserId === userId)?.createdAt.toISOString() ?? null;
    const people = await this.users.people([
      ...stages.flatMap((s) => s.approvedBy),
      ...current.flatMap((a) => [a.approverUserId, ...(a.onBehalfOfUserId ? [a.onBehalfOfUserId] : [])]),
    ]);
    // A person since deleted keeps their id; the name says so.
    const person = (id: string) => people.get(id) ?? { id, name: 'Former user', email: '' };
    return {
      workflowId: review.snapshot.workflowId,
      workflowVersion: review.snapshot.version,
      openStage: open === -1 ? null : open,
      stages: stages.map((s) => ({
        name: s.name,
        required: s.required,
        approvals: s.approvedBy.map((userId) => {
          const seat = s.onBehalfOf[userId];
          return { userId, user: person(userId), onBehalfOf: seat ? person(seat) : null, at: at(userId) };
        }),
        state: s.satisfied
          ? ('satisfied' as const)
          : s.index === open
            ? ('open' as const)
            : ('waiting' as const),
      })),
      decisions: current.map((a) => ({
        userId: a.approverUserId,
        user: person(a.approverUserId),
        onBehalfOf: a.onBehalfOfUserId ? person(a.onBehalfOfUserId) : null,
        decision: a.decision,
        stage: a.stageIndex,
        comment: a.comment,
        via: a.via,
        at: a.createdAt.toISOString(),
      })),
    };
  }
}
