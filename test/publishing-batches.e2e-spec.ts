import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { BY_KEY, dollarQuoted, finishStatement, transitionStatement } from '@app/persistence';
import { publishJobId, QueueName } from '@app/queue';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { publishingWorld } from './support/publishing-world';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'receiver-secret-0123456789';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** How a plan reads `table`: each scan's node type and index. */
function scansOf(
  plan: PlanNode,
  table: string,
): Array<Pick<PlanNode, 'Node Type' | 'Index Name' | 'Index Cond'>> {
  const here =
    plan['Relation Name'] === table && plan['Node Type'].endsWith('Scan')
      ? [
          {
            'Node Type': plan['Node Type'],
            'Index Name': plan['Index Name'],
            'Index Cond': plan['Index Cond'],
          },
        ]
      : [];
  return [...here, ...(plan.Plans ?? []).flatMap((child) => scansOf(child, table))];
}
const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000);

/**
 * The worker claims the posts that come due together in shared transactions. These
 * tests try to make one post's lock, pause or lockdown leak into its neighbours'.
 */
describe('Publishing in batches', () => {
  let receiver: WebhookReceiver;
  let api: TestApi;
  let worker: INestApplicationContext;
  let queue: Queue;

  beforeAll(async () => {
    receiver = await new WebhookReceiver(SECRET).start();
    const config = await testConfig({ WORKER_METRICS_PORT: '0' });
    api = await startApi(config);
    worker = await startWorker(config);
    queue = new Queue(QueueName.Publish, {
      connection: { url: config.redisUrl },
      prefix: config.queuePrefix,
    });
  });
  beforeEach(() => {
    receiver.behaviour = () => ({ status: 200 });
  });
  afterAll(async () => {
    await queue.close();
    await worker.close();
    await api.close();
    await receiver.stop();
  });

  const connect = async () => {
    const db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    return db;
  };
  const sql = async (query: string, params: unknown[] = []): Promise<any[]> => {
    const db = await connect();
    try {
      return (await db.query(query, params)).rows;
    } finally {
      await db.end();
    }
  };
  /** What the publish job of a post's first version returned, once it has run. */
  const jobResult = (postId: string) =>
    waitFor(
      async () => {
        // One read of the job's hash: its end time and its return value agree.
        const job = await queue.getJob(publishJobId(postId, 1));
        return job?.finishedOn ? String(job.returnvalue) : undefined;
      },
      { timeoutMs: 15_000, what: `the publish job of ${postId}` },
    );

  it('decides each post of a shared transaction alone: a paused workspace stops its own posts only', async () => {
    const open = await publishingWorld(api.http, receiver.url, SECRET);
    const paused = await publishingWorld(api.http, receiver.url, SECRET);
    // The audit entries of a batch go in with one statement: each still makes its own outbound webhook.
    const tools = await new WebhookReceiver('tools-secret-0123456789').start();
    const subscribed = await api.http.post(
      `${open.ws}/webhooks`,
      { url: tools.url, secret: 'tools-secret-0123456789', events: ['post.published'] },
      { token: open.owner.token },
    );
    expect(subscribed.status).toBe(201);
    // Made side by side, so that a loaded machine still has them all before their time.
    const due = secondsFromNow(6);
    const make = (w: typeof open, label: string) =>
      Promise.all(Array.from({ length: 15 }, (_, i) => w.approvedPost(due, `${label} ${i}`)));
    const going = (await make(open, 'Open')).map((p) => p.id);
    const stopped = (await make(paused, 'Paused')).map((p) => p.id);
    const pause = await api.http.post(
      `${paused.ws}/pause`,
      { reason: 'Not this one' },
      { token: paused.owner.token },
    );
    expect(pause.status).toBe(200);

    for (const id of going) await open.untilStatus(id, 'published');
    for (const id of stopped) {
      const post = await paused.untilStatus(id, 'blocked');
      expect(post.outcome.reasons).toEqual([{ code: 'workspace_paused' }]);
    }
    expect(going.map((id) => receiver.forPost(id).length)).toEqual(going.map(() => 1));
    expect(stopped.flatMap((id) => receiver.forPost(id))).toHaveLength(0);
    // Audit rows are never updated, so their xmin is the transaction that decided the gate.
    const [{ transactions }] = await sql(
      `SELECT count(DISTINCT xmin::text)::int AS transactions FROM audit_events
        WHERE action IN ('post.publishing', 'post.blocked') AND post_id = ANY($1::uuid[])`,
      [[...going, ...stopped]],
    );
    expect(transactions).toBeLessThan(going.length + stopped.length);
    try {
      await tools.until(() => tools.received.length >= going.length);
      expect(tools.received.map((r) => r.body.postId).sort()).toEqual([...going].sort());
      expect(tools.received.every((r) => r.signatureValid && r.body.type === 'post.published')).toBe(true);
    } finally {
      await tools.stop();
    }
  }, 40_000);

  it('does not hold a batch for a post someone else has locked, and decides that post after its lock', async () => {
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    const due = secondsFromNow(5);
    const [held, ...rest] = await Promise.all([
      w.approvedPost(due, 'Held by an edit in progress'),
      ...Array.from({ length: 5 }, (_, i) => w.approvedPost(due, `Free ${i}`)),
    ]);
    const others = rest.map((p) => p.id);

    // An edit's transaction holds the post's row lock across the due time.
    const edit = await connect();
    try {
      await edit.query('BEGIN');
      await edit.query('SELECT id FROM posts WHERE id = $1 FOR UPDATE', [held.id]);
      for (const id of others) await w.untilStatus(id, 'published');
      // The worker now waits for this lock, in a transaction of the held post alone.
      await waitFor(
        async () => {
          const { rows } = await edit.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          return rows[0].n > 0 ? true : undefined;
        },
        { timeoutMs: 10_000, what: 'the worker waiting for the held post' },
      );
      await edit.query(`UPDATE posts SET version = 2, status = 'in_review' WHERE id = $1`, [held.id]);
      await edit.query('COMMIT');
    } finally {
      await edit.end();
    }

    expect(await jobResult(held.id)).toBe('stale');
    expect(receiver.forPost(held.id)).toHaveLength(0);
    expect(await w.status(held.id)).toMatchObject({ status: 'in_review', version: 2 });
  }, 30_000);

  it('shrugs off a job that names no post, in the batch of a post that goes out', async () => {
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    const due = secondsFromNow(5);
    const post = await w.approvedPost(due, 'Next to a bad job');
    // A job whose post id is not even a UUID, due in the same second.
    const data = {
      postId: 'not-a-post',
      workspaceId: w.owner.workspaceId,
      channelId: randomUUID(),
      version: 1,
    };
    await queue.add('publish', data, {
      jobId: publishJobId('not-a-post', 1),
      delay: due.getTime() - Date.now(),
    });

    expect(await jobResult('not-a-post')).toBe('stale');
    expect(await jobResult(post.id)).toBe('published');
    expect(receiver.forPost(post.id)).toHaveLength(1);
  }, 30_000);

  it('inlines the transitions as a dollar-quoted constant that PostgreSQL reads back as written, whatever the text', async () => {
    const texts = [
      '',
      'plain',
      "it's",
      'back\\slash',
      '$cs$',
      'ends in $cs',
      'ends in $cs1',
      '$cs$ and $cs1$ and $cs2',
      '$$',
      '💥 $cs',
    ];
    for (const text of texts) {
      const [row] = await sql(`SELECT ${dollarQuoted(text)}::text AS t`);
      expect(row.t).toBe(text);
    }
  });

  it('finds each post of a batch by its primary key, whatever the statistics say', async () => {
    // A calendar of 5,000 published posts, just analyzed, so that the statistics say
    // what they say before a burst: few posts approved or publishing. Without the
    // settings the planner reads all of `posts` for the claim's changes and the
    // partial index of approved and publishing posts for the outcomes (in a burst,
    // thousands of rows per batch). All of it is rolled back.
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    const model = await w.approvedPost(secondsFromNow(3600), 'Model');
    const input = dollarQuoted(
      JSON.stringify(
        Array.from({ length: 100 }, () => ({
          id: randomUUID(),
          workspace_id: randomUUID(),
          version: 1,
          status: 'publishing',
          from_status: 'publishing',
          to_status: 'published',
          outcome: 'published',
          action: 'post.published',
        })),
      ),
    );
    const postScans = async (statement: string, table = 'posts') => {
      const db = await connect();
      try {
        const results = (await db.query(
          `BEGIN;
           INSERT INTO posts
             SELECT (jsonb_populate_record(p, jsonb_build_object('id', gen_random_uuid(), 'status', 'published'))).*
               FROM posts p, generate_series(1, 5000) WHERE p.id = ${db.escapeLiteral(model.id)};
           ANALYZE posts;
           ${BY_KEY}; EXPLAIN (FORMAT JSON) ${statement}; ROLLBACK`,
        )) as unknown as Array<{ rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> }>;
        return scansOf(results.at(-2)!.rows[0]['QUERY PLAN'][0].Plan, table);
      } finally {
        await db.end();
      }
    };
    // One probe per post of the batch: the index condition is the input's id.
    const byKey = [
      {
        'Node Type': 'Index Scan',
        'Index Name': 'pk_posts',
        'Index Cond': expect.stringMatching(/^\(id = \w+\.id\)$/),
      },
    ];
    expect(await postScans(transitionStatement(input))).toEqual(byKey);
    expect(await postScans(finishStatement(input, false))).toEqual(byKey);
    expect(await postScans(finishStatement(input, true))).toEqual(byKey);
    // A reply's mention is found by its key too.
    expect(await postScans(finishStatement(input, true), 'mentions')).toEqual([
      expect.objectContaining({ 'Node Type': 'Index Scan', 'Index Name': 'pk_mentions' }),
    ]);
  });

  it('records the other outcomes of a batch when one of them cannot be recorded', async () => {
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    const due = secondsFromNow(5);
    const posts = (
      await Promise.all(Array.from({ length: 8 }, (_, i) => w.approvedPost(due, `Answered together ${i}`)))
    ).map((p) => p.id);
    // Eight: all in flight at once (PUBLISH_PER_CHANNEL). The receiver answers them at
    // the same moment, 1.5 s after the first arrived,
    // so that their outcomes are recorded in one statement...
    let answerAt = 0;
    receiver.behaviour = () => {
      answerAt ||= Date.now() + 1500;
      return { status: 200, delayMs: Math.max(0, answerAt - Date.now()) };
    };
    await receiver.until(() => posts.every((id) => receiver.forPost(id).length === 1), 15_000);
    // ...and one of them has meanwhile lost its row (foreign-key triggers off for this session only).
    const db = await connect();
    try {
      await db.query(`SET session_replication_role = replica`);
      await db.query(`DELETE FROM posts WHERE id = $1`, [posts[0]]);
    } finally {
      await db.end();
    }
    // Well before the reconciler would take up posts left in `publishing` (2 minutes).
    for (const id of posts.slice(1)) await w.untilStatus(id, 'published', 10_000);
    expect(posts.flatMap((id) => receiver.forPost(id))).toHaveLength(8);
  }, 40_000);

  it('keeps a slow receiver to the slots of its channel: the next in line wait, another channel goes out meanwhile', async () => {
    const slow = await new WebhookReceiver(SECRET).start();
    try {
      slow.behaviour = () => ({ status: 200, delayMs: 4000 });
      const [slowWorld, fastWorld] = await Promise.all([
        publishingWorld(api.http, slow.url, SECRET),
        publishingWorld(api.http, receiver.url, SECRET),
      ]);
      const due = secondsFromNow(5);
      const slowPosts = await Promise.all(
        Array.from({ length: 12 }, (_, i) => slowWorld.approvedPost(due, `Slow channel ${i}`)),
      );
      const fastPosts = await Promise.all(
        Array.from({ length: 3 }, (_, i) => fastWorld.approvedPost(due, `Fast channel ${i}`)),
      );
      await receiver.until(() => fastPosts.every((p) => receiver.forPost(p.id).length === 1), 15_000);
      await slow.until(() => slowPosts.every((p) => slow.forPost(p.id).length === 1), 30_000);
      // The other channel's posts went out while the slow receiver still held its first calls
      // (measured from the first slow call, which may come after them on a loaded machine).
      const firstSlow = Math.min(...slow.received.map((r) => r.at));
      const lastFast = Math.max(...fastPosts.map((p) => receiver.forPost(p.id)[0].at));
      expect(lastFast).toBeLessThan(firstSlow + 4000);
      // Eight at a time (PUBLISH_PER_CHANNEL): the ninth call waited for the first answer.
      const arrivals = slow.received.map((r) => r.at - firstSlow).sort((a, b) => a - b);
      expect(arrivals).toHaveLength(12);
      expect(arrivals[7]).toBeLessThan(2000);
      expect(arrivals[8]).toBeGreaterThanOrEqual(3900);
      for (const p of slowPosts) await slowWorld.untilStatus(p.id, 'published', 10_000);
    } finally {
      await slow.stop();
    }
  }, 60_000);

  it('lets a lockdown land in the middle of a burst: every post goes out or back to review, never both', async () => {
    const w = await publishingWorld(api.http, receiver.url, SECRET);
    const due = secondsFromNow(5);
    const posts = (
      await Promise.all(Array.from({ length: 40 }, (_, i) => w.approvedPost(due, `Burst ${i}`)))
    ).map((p) => p.id);

    await receiver.until(() => posts.some((id) => receiver.forPost(id).length > 0), 15_000);
    const lockdown = await api.http.post(`${w.ws}/lockdown`, undefined, { token: w.owner.token });
    expect(lockdown.status).toBe(200);

    const voided = new Set<string>(lockdown.body.postsNeedingSignOff);
    for (const id of posts) {
      const post = await w.untilStatus(id, voided.has(id) ? 'in_review' : 'published');
      expect(receiver.forPost(id)).toHaveLength(post.status === 'published' ? 1 : 0);
    }
    // Once the first version's job of every voided post is gone or done, none can still send it.
    for (const id of posts.filter((p) => voided.has(p))) {
      await waitFor(
        async () => {
          const job = await queue.getJob(publishJobId(id, 1));
          const state = job ? await job.getState() : 'removed';
          return ['removed', 'completed', 'failed', 'unknown'].includes(state) ? state : undefined;
        },
        { timeoutMs: 15_000, what: `the first job of voided post ${id} to end` },
      );
    }
    expect(posts.filter((id) => voided.has(id)).flatMap((id) => receiver.forPost(id))).toHaveLength(0);
  }, 40_000);
});
