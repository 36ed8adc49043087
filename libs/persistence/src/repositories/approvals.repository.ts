import type { Decision } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ApprovalEntity } from '../entities';

export const decisionOf = (a: ApprovalEntity): Decision => ({
  userId: a.approverUserId,
  onBehalfOf: a.onBehalfOfUserId,
  stageIndex: a.stageIndex,
  version: a.version,
  decision: a.decision,
});

/** Sign-offs and rejections of posts. */
@Injectable()
export class ApprovalsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  add(approval: Omit<ApprovalEntity, 'id' | 'createdAt'>, em: EntityManager): Promise<ApprovalEntity> {
    return em.save(ApprovalEntity, em.create(ApprovalEntity, approval));
  }
}
