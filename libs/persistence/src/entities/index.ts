import { ApiKeyEntity } from './api-key.entity';
import { MembershipEntity } from './membership.entity';
import { UserEntity } from './user.entity';
import { WorkspaceEntity } from './workspace.entity';

export { ApiKeyEntity, MembershipEntity, UserEntity, WorkspaceEntity };

/** Every entity, listed explicitly (no globs: they break with bundlers and hide mistakes). */
export const ENTITIES: Function[] = [UserEntity, WorkspaceEntity, MembershipEntity, ApiKeyEntity];
