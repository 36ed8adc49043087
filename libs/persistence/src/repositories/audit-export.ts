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

/** The last line of an export: what it holds, so that a cut-off or shortened file is caught. */
export interface AuditExportEnd {
  end: true;
  workspaceId: string;
  /** the first and last seq exported ('' for none) */
  firstSeq: string;
  lastSeq: string;
  count: number;
  lastHash: string;
}

const BATCH = 1000;

/**
 * The workspace's events of `[from, to)`, every one exactly once, in seq order, a
 * batch at a time (keyset on seq, no OFFSET), each field as the hash trigger saw
 * it, then an end line. The range is turned into seq bounds first: an event's
 * time is its transaction's start, which can come before the seq of an event that
 * took the chain's lock earlier, so a range of times alone could skip a link.
 */
export async function* exportAuditEvents(
  em: EntityManager,
  workspaceId: string,
  from: Date,
  to: Date,
): AsyncGenerator<ExportedAuditEvent | AuditExportEnd> {
  const [bounds] = await em.query<Array<{ first: string | null; last: string | null }>>(
    `SELECT min(seq)::text AS first, max(seq)::text AS last
       FROM audit_events WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3`,
    [workspaceId, from, to],
  );
  const end: AuditExportEnd = {
    end: true,
    workspaceId,
    firstSeq: bounds.first ?? '',
    lastSeq: bounds.last ?? '',
    count: 0,
    lastHash: '',
  };
  if (bounds.first === null || bounds.last === null) {
    yield end;
    return;
  }
  let after = (BigInt(bounds.first) - 1n).toString();
  for (;;) {
    const rows = await em.query<ExportedAuditEvent[]>(
      `SELECT workspace_id::text AS "workspaceId", seq::text AS "seq", coalesce(post_id::text, '') AS "postId",
              actor_kind AS "actorKind", coalesce(actor_id, '') AS "actorId", action, coalesce(version::text, '') AS version,
              coalesce(before::text, '') AS before, coalesce(after::text, '') AS after, coalesce(ip, '') AS ip,
              coalesce(user_agent, '') AS "userAgent",
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, prev_hash AS "prevHash", hash
         FROM audit_events e
        WHERE e.workspace_id = $1 AND e.seq > $2 AND e.seq <= $3
        ORDER BY e.seq LIMIT ${BATCH}`,
      [workspaceId, after, bounds.last],
    );
    for (const row of rows) yield row;
    if (rows.length === 0) break;
    end.count += rows.length;
    after = rows[rows.length - 1].seq;
    end.lastHash = rows[rows.length - 1].hash;
    if (rows.length < BATCH) break;
  }
  yield end;
}
