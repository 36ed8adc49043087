import { ApiKeyEntity } from './api-key.entity';
import { ApprovalEntity } from './approval.entity';
import { AuditEventEntity } from './audit-event.entity';
import { CalendarFeedEntity } from './calendar-feed.entity';
import { ChannelEntity } from './channel.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { MembershipEntity } from './membership.entity';
import { OutboxEntity, PublishAttemptEntity } from './outbox.entity';
import { PostRevisionEntity } from './post-revision.entity';
import { PostEntity } from './post.entity';
import { UserEntity } from './user.entity';
import { WorkflowChannelEntity, WorkflowEntity, WorkflowVersionEntity } from './workflow.entity';
import { WorkspaceEntity } from './workspace.entity';

export {
  ApiKeyEntity,
  ApprovalEntity,
  AuditEventEntity,
  CalendarFeedEntity,
  ChannelEntity,
  IdempotencyKeyEntity,
  MembershipEntity,
  OutboxEntity,
  PostEntity,
  PublishAttemptEntity,
  PostRevisionEntity,
  UserEntity,
  WorkflowChannelEntity,
  WorkflowEntity,
  WorkflowVersionEntity,
  WorkspaceEntity,
};

/** Every entity, listed explicitly (no globs: they break with bundlers and hide mistakes). */
export const ENTITIES: Function[] = [
  UserEntity,
  WorkspaceEntity,
  MembershipEntity,
  ApiKeyEntity,
  ChannelEntity,
  PostEntity,
  PostRevisionEntity,
  IdempotencyKeyEntity,
  CalendarFeedEntity,
  WorkflowEntity,
  WorkflowVersionEntity,
  WorkflowChannelEntity,
  ApprovalEntity,
  AuditEventEntity,
  OutboxEntity,
  PublishAttemptEntity,
];
