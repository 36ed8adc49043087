import type { Role } from '@app/domain';
import type { UserEntity, WorkspaceEntity } from '@app/persistence';

export interface UserView {
  id: string;
  email: string;
  name: string;
}

export interface WorkspaceView {
  id: string;
  name: string;
  timezone: string;
  paused: boolean;
  pausedReason: string | null;
  createdAt: string;
}

export const userView = (u: UserEntity): UserView => ({ id: u.id, email: u.email, name: u.name });

export const workspaceView = (w: WorkspaceEntity): WorkspaceView => ({
  id: w.id,
  name: w.name,
  timezone: w.timezone,
  paused: w.paused,
  pausedReason: w.pausedReason,
  createdAt: w.createdAt.toISOString(),
});

export const workspaceWithRoleView = (w: WorkspaceEntity, role: Role): WorkspaceView & { role: Role } => ({
  ...workspaceView(w),
  role,
});
