import type { EntityManager } from 'typeorm';

/** One audit event exactly as it was hashed: every field is the text the chain was computed over. */
export interface ExportedAuditEvent {
  workspaceId: string;
  seq: string;
  postId: string;
  actorKind: string;
  actorId: string;
  action: string;
  version: string;
  before: string;
  after: string;
  ip: string;
  userAgent: string;
  at: string;
  prevHash: string;
  hash: string;
}

const BATCH = 1000;

/**
 * The workspace's events in `[from, to)` in sequence order, a batch at a time,
 * each field as the hash trigger saw it, so the chain can be checked offline.
 */
export async function* exportAuditEvents(
  em: EntityManager,
  workspaceId: string,
  from: Date,
  to: Date,
): AsyncGenerator<ExportedAuditEvent> {
  let after = 0n;
  for (;;) {
    const rows = await em.query<ExportedAuditEvent[]>(
      `SELECT workspace_id::text AS "workspaceId", seq::text AS seq, coalesce(post_id::text, '') AS "postId",
              actor_kind AS "actorKind", coalesce(actor_id, '') AS "actorId", action, coalesce(version::text, '') AS version,
              coalesce(before::text, '') AS before, coalesce(after::text, '') AS after, coalesce(ip, '') AS ip,
              coalesce(user_agent, '') AS "userAgent",
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, prev_hash AS "prevHash", hash
         FROM audit_events
        WHERE workspace_id = $1 AND seq > $2 AND created_at >= $3 AND created_at < $4
        ORDER BY seq LIMIT ${BATCH}`,
      [workspaceId, after.toString(), from, to],
    );
    yield* rows;
    if (rows.length < BATCH) return;
    after = BigInt(rows[rows.length - 1].seq);
  }
}
