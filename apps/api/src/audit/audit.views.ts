import type { NamedAuditEvent } from '@app/persistence';

/** An audit entry with every hashed field, so a client can check the chain. */
export const auditEventView = (e: NamedAuditEvent) => ({
  seq: Number(e.seq),
  action: e.action,
  actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
  postId: e.postId,
  version: e.version,
  before: e.before,
  after: e.after,
  ip: e.ip,
  userAgent: e.userAgent,
  at: e.createdAt.toISOString(),
  prevHash: e.prevHash,
  hash: e.hash,
});

export type AuditEventView = ReturnType<typeof auditEventView>;
