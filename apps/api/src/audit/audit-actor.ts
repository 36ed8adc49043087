import type { Actor } from '@app/domain';
import type { NewAuditEvent } from '@app/persistence';

/** The actor columns of an audit event. */
export const auditActor = (actor: Actor): Pick<NewAuditEvent, 'workspaceId' | 'actorKind' | 'actorId'> => ({
  workspaceId: actor.workspaceId,
  actorKind: actor.kind,
  actorId: actor.kind === 'user' ? actor.userId : actor.apiKeyId,
});
