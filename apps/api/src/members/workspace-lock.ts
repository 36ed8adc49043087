import { DomainError } from '@app/domain';
import type { WorkspacesRepository } from '@app/persistence';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in a transaction holding the workspace's row lock: membership
 * changes and delegations take it first, so two at once are counted one after
 * the other (no workspace left without an owner, no stand-in for someone removed).
 */
export function inWorkspaceLock<T>(
  db: DataSource,
  workspaces: WorkspacesRepository,
  workspaceId: string,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return db.transaction(async (em) => {
    if (!(await workspaces.lockById(workspaceId, em))) throw DomainError.notFound('Workspace');
    return work(em);
  });
}
