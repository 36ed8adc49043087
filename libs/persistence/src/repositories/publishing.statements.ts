import { membersJson, reviewColumns } from '../review-reader';

/** The SQL of the worker's hot path (PublishingRepository), built as text: each is sent in one round trip. */

// The audit row's seq and hashes are the trigger's; these are placeholders it overwrites.
// Rows go in by workspace, so two batches take the trigger's per-workspace locks in the same order.
const AUDIT_INSERT = `INSERT INTO audit_events (workspace_id, seq, post_id, actor_kind, action, version, before, after, prev_hash, hash)`;

/**
 * Planner settings for the hot path's transactions: every post is found by its
 * primary key, one probe per post, whatever the statistics say. In a burst they are
 * wrong (thousands of posts go approved, publishing, published between two
 * ANALYZEs), and they made the planner read every approved and publishing post of
 * the database (the partial index) into a hash for each batch of outcomes, and
 * every row of `posts` for each batch of claims when the table was young: the
 * bigger the calendar, the slower a burst.
 */
export const BY_KEY = [
  'SET LOCAL enable_seqscan = off',
  'SET LOCAL enable_bitmapscan = off',
  'SET LOCAL enable_hashjoin = off',
  'SET LOCAL enable_mergejoin = off',
].join('; ');

/**
 * `text` as a dollar-quoted string constant, with a tag it does not contain: no
 * character of it needs escaping. (pg's escapeLiteral walks the text a character
 * at a time in JavaScript, on the hot path of every transition.)
 */
export function dollarQuoted(text: string): string {
  // The constant ends at the tag's first occurrence after the opening one: not in
  // the text, nor where the text's end and the closing tag meet ("...$cs" + "$cs$").
  const ends = (tag: string) => `${text}${tag.slice(0, -1)}`.includes(tag);
  let tag = '$cs$';
  for (let n = 1; ends(tag); n += 1) tag = `$cs${n}$`;
  return `${tag}${text}${tag}`;
}

/**
 * Workspaces, then channels, then campaigns, each in id order (a pause takes its row
 * FOR UPDATE, so it waits for a claim and a claim waits for it); `w` is counted
 * only so that it runs.
 */
export function lockParents(ids: string): string {
  return `WITH w AS (SELECT id FROM workspaces WHERE id IN (SELECT workspace_id FROM posts WHERE id = ANY(${ids}))
                      ORDER BY id FOR SHARE),
               c AS (SELECT id FROM channels WHERE id IN (SELECT channel_id FROM posts WHERE id = ANY(${ids}))
                      ORDER BY id FOR SHARE),
               k AS (SELECT id FROM campaigns WHERE id IN (SELECT campaign_id FROM posts WHERE id = ANY(${ids}))
                      ORDER BY id FOR SHARE)
          SELECT (SELECT count(*) FROM w) AS workspaces, (SELECT coalesce(array_agg(id::text), '{}') FROM c) AS channels,
                 (SELECT coalesce(array_agg(id::text), '{}') FROM k) AS campaigns`;
}

export function lockPosts(ids: string, skipLocked: boolean): string {
  return `SELECT p.id, p.workspace_id, p.channel_id, p.campaign_id, p.author_user_id, p.author_api_key_id, p.status, p.version, p.text,
                 p.media_urls, p.media_alt, p.link, p.content_warning, p.visibility, p.language, p.reply_to_mention_id, p.reply_ref, p.scheduled_at, p.workflow_version_id, p.publishing_started_at, p.created_at,
                 w.paused AS workspace_paused, k.paused AS campaign_paused, k.pause_reason AS campaign_pause_reason,
                 c.name AS channel_name, c.network, c.handle, c.paused AS channel_paused,
                 c.publisher_kind, c.publisher_url, c.publisher_secret, c.publisher_config,
                 c.publisher_credentials, c.reconnect_reason,
                 (SELECT json_build_object('outcome', a.outcome, 'created_at', a.created_at)
                    FROM publish_attempts a WHERE a.post_id = p.id AND a.version = p.version ORDER BY a.id DESC LIMIT 1) AS last_attempt,
                 (SELECT cr.rules FROM content_rules cr WHERE cr.workspace_id = p.workspace_id) AS content_rules,
                 ${reviewColumns('p.id', 'p.version')}
            FROM posts p
            JOIN workspaces w ON w.id = p.workspace_id
            JOIN channels c ON c.id = p.channel_id
            LEFT JOIN campaigns k ON k.id = p.campaign_id
            LEFT JOIN workflow_versions v ON v.id = p.workflow_version_id
           WHERE p.id = ANY(${ids})
           ORDER BY p.id
             FOR UPDATE OF p ${skipLocked ? 'SKIP LOCKED' : ''}`;
}

/**
 * The members of the posts' workspaces, once per workspace rather than once per
 * post: a batch is a few workspaces' posts, and a workspace may have dozens of members.
 */
export function workspaceMembers(ids: string): string {
  return `SELECT w.id AS workspace_id, ${membersJson('w.id')} AS members
            FROM workspaces w WHERE w.id IN (SELECT workspace_id FROM posts WHERE id = ANY(${ids}))`;
}

/** The status changes of locked posts, each with its audit entry: one statement. */
export function transitionStatement(input: string): string {
  return `WITH input AS (
            SELECT * FROM jsonb_to_recordset(${input}::jsonb)
              AS t(id uuid, workspace_id uuid, version int, status text, outcome jsonb, action text, before jsonb, after jsonb)),
          changed AS (
            UPDATE posts p SET status = i.status, outcome = coalesce(i.outcome, p.outcome), updated_at = now(),
                   publishing_started_at = CASE WHEN i.status = 'publishing' THEN now() ELSE p.publishing_started_at END
              FROM input i
             WHERE p.id = i.id
             RETURNING i.*)
          ${AUDIT_INSERT}
          SELECT workspace_id, 0, id, 'system', action, version, before, after, '', ''
            FROM changed
           WHERE action IS NOT NULL
           ORDER BY workspace_id, id`;
}

/**
 * Each outcome's attempt row, and for those not to be retried the move out of
 * `publishing` with its audit entry: one statement. The status a post must still be
 * in comes from the input, so that it is a join condition: as a constant it would let
 * the planner read the partial index of approved and publishing posts instead of the
 * primary key (BY_KEY).
 */
export function finishStatement(input: string, answersMentions: boolean): string {
  // A reply's first publication dates our answer to its mention; most batches hold none.
  const replied = answersMentions
    ? `, replied AS (
            UPDATE mentions m SET replied_at = now()
              FROM changed c
             WHERE m.id = c.reply_to_mention_id AND c.to_status = 'published' AND m.replied_at IS NULL)`
    : '';
  return `WITH input AS (
            SELECT * FROM jsonb_to_recordset(${input}::jsonb)
              AS t(id uuid, workspace_id uuid, version int, attempt int, outcome text, status_code int, error text,
                   duration_ms int, external_id text, external_url text, result jsonb, from_status text, to_status text,
                   reply_to_mention_id uuid)),
          attempts AS (
            INSERT INTO publish_attempts (post_id, version, attempt, outcome, status_code, error, duration_ms)
            SELECT id, version, attempt, outcome, status_code, error, duration_ms FROM input),
          changed AS (
            UPDATE posts p SET status = i.to_status, updated_at = now(),
                   published_at = CASE WHEN i.to_status = 'published' THEN now() END,
                   external_id = i.external_id, external_url = i.external_url, outcome = i.result
              FROM input i
             WHERE p.id = i.id AND p.version = i.version AND p.status = i.from_status AND i.to_status IS NOT NULL
             RETURNING i.*)${replied}
          ${AUDIT_INSERT}
          SELECT workspace_id, 0, id, 'system', 'post.' || to_status, version, jsonb_build_object('status', from_status),
                 jsonb_build_object('status', to_status, 'externalId', external_id, 'attempts', attempt, 'error', error),
                 '', ''
            FROM changed
           ORDER BY workspace_id, id`;
}
