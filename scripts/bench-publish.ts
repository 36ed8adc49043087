// npm run bench:publish — after a warm-up, five rounds of 5,000 approved posts over 50
// channels, all due in the same second, published by a worker process through the gate
// to a local webhook receiver that counts, each between two runs of the baseline: 5,000
// no-op delayed jobs through bare BullMQ on the same Redis. Then a steady case of 200 posts,
// between two runs of 200 no-op jobs through bare BullMQ.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { environmentWith, loadConfig } from '@app/config';
import { QueueName } from '@app/queue';
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { appArgs, freshDatabase, machine, ROOT } from './bench-support';

// Knobs: npm run bench:publish -- --workspaces 10 --channels 5 --members 0 --concurrency 200 --workers 1 --pool 20 --rounds 5 --profile
const { values: args } = parseArgs({
  options: {
    workspaces: { type: 'string', default: '10' },
    /** members of each workspace besides its author and approver (editors: they sign nothing) */
    members: { type: 'string', default: '0' },
    channels: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '200' },
    workers: { type: 'string', default: '1' },
    pool: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
  },
});
const WORKSPACES = Number(args.workspaces);
const MEMBERS = Number(args.members);
const CHANNELS_PER_WORKSPACE = Number(args.channels);
const BURST = 5000;
/** Approved-looking posts with no sign-off at all: the gate must stop every one. */
const TRAPS = 100;
const STEADY = 200;
const CONCURRENCY = Number(args.concurrency);
const WORKERS = Number(args.workers);
const ROUNDS = Number(args.rounds);
const DB = 'countersign_bench_publish';
const REDIS_URL = loadConfig().redisUrl;
const PREFIX = `bench-publish-${process.pid}`;

interface Receipt {
  key: string;
  at: number;
}

/** The webhook receiver: answers 200 at once and remembers when each key arrived. */
async function receiver(): Promise<{ url: string; receipts: Receipt[]; server: Server }> {
  const receipts: Receipt[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      receipts.push({ key: String(req.headers['idempotency-key']), at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, receipts, server };
}

async function seed(
  db: Client,
  hookUrl: string,
  prefix: string,
  count: number,
  traps: number,
  due: Date,
): Promise<void> {
  const id = (what: string) =>
    `overlay(overlay(md5('${prefix}' || ${what}) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid`;
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO workspaces (id, name, timezone) SELECT ${id("'w' || n")}, $1 || n, 'UTC' FROM generate_series(1, $2) n`,
    [prefix, WORKSPACES],
  );
  await db.query(
    `INSERT INTO users (id, email, name) SELECT ${id('k || n')}, $1 || k || n || '@bench.test', k
     FROM generate_series(1, $2) n, unnest(ARRAY['author', 'approver']) k`,
    [prefix, WORKSPACES],
  );
  await db.query(
    `INSERT INTO memberships (workspace_id, user_id, role)
     SELECT ${id("'w' || n")}, ${id('k || n')}, CASE k WHEN 'author' THEN 'editor' ELSE 'approver' END
     FROM generate_series(1, $1) n, unnest(ARRAY['author', 'approver']) k`,
    [WORKSPACES],
  );
  await db.query(
    `INSERT INTO users (id, email, name) SELECT ${id("'m' || n || '-' || k")}, $1 || 'm' || n || '-' || k || '@bench.test', 'member'
     FROM generate_series(1, $2) n, generate_series(1, $3) k`,
    [prefix, WORKSPACES, MEMBERS],
  );
  await db.query(
    `INSERT INTO memberships (workspace_id, user_id, role)
     SELECT ${id("'w' || n")}, ${id("'m' || n || '-' || k")}, 'editor' FROM generate_series(1, $1) n, generate_series(1, $2) k`,
    [WORKSPACES, MEMBERS],
  );
  await db.query(
    `INSERT INTO workflows (id, workspace_id, name, is_default, current_version)
     SELECT ${id("'f' || n")}, ${id("'w' || n")}, 'one', true, 1 FROM generate_series(1, $1) n`,
    [WORKSPACES],
  );
  await db.query(
    `INSERT INTO workflow_versions (id, workflow_id, version, stages, options)
     SELECT ${id("'v' || n")}, ${id("'f' || n")}, 1,
            '[{"name":"one","approvers":{"userIds":[],"roles":["approver"]},"required":1}]',
            '{"scheduleChangeResetsApprovals":false,"maxLatenessMinutes":15,"emergency":false}'
     FROM generate_series(1, $1) n`,
    [WORKSPACES],
  );
  await db.query(
    `INSERT INTO channels (id, workspace_id, name, network, publisher_kind, publisher_url, publisher_secret)
     SELECT ${id("'c' || n || '-' || k")}, ${id("'w' || n")}, 'ch' || k, 'linkedin', 'webhook', $1, 'bench-secret-0123456789'
     FROM generate_series(1, $2) n, generate_series(1, $3) k`,
    [hookUrl, WORKSPACES, CHANNELS_PER_WORKSPACE],
  );
  // Post g goes to workspace 1 + g % W and channel 1 + (g / W) % C; the first `count` are
  // signed off by their workspace's approver, the traps are not.
  await db.query(
    `INSERT INTO posts (id, workspace_id, channel_id, author_user_id, status, version, text, scheduled_at, content_hash,
                        workflow_version_id, submitted_at)
     SELECT ${id("'p' || g")}, ${id("'w' || (1 + g % $2)")}, ${id("'c' || (1 + g % $2) || '-' || (1 + (g / $2) % $3)")},
            ${id("'author' || (1 + g % $2)")}, 'approved', 1, 'Bench post ' || g, $4, md5(g::text),
            ${id("'v' || (1 + g % $2)")}, now()
     FROM generate_series(0, $1 - 1) g`,
    [count + traps, WORKSPACES, CHANNELS_PER_WORKSPACE, due],
  );
  await db.query(
    `INSERT INTO approvals (post_id, version, stage_index, approver_user_id, decision, via)
     SELECT ${id("'p' || g")}, 1, 0, ${id("'approver' || (1 + g % $2)")}, 'approve', 'api' FROM generate_series(0, $1 - 1) g`,
    [count, WORKSPACES],
  );
  // The publish intents, as the API writes them when the last sign-off lands.
  await db.query(
    `INSERT INTO outbox (topic, payload)
     SELECT 'publish.schedule', jsonb_build_object('postId', id, 'workspaceId', workspace_id, 'channelId', channel_id,
            'version', 1, 'scheduledAt', to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
     FROM posts WHERE scheduled_at = $1`,
    [due],
  );
  await db.query('COMMIT');
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function startWorker(databaseUrl: string): ChildProcess {
  // --profile writes the worker's CPU profile to /tmp/countersign-worker-profile.
  const profile = args.profile ? ['--cpu-prof', '--cpu-prof-dir=/tmp/countersign-worker-profile'] : [];
  return spawn(process.execPath, appArgs(profile), {
    cwd: ROOT,
    env: environmentWith({
      ROLE: 'worker',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      PUBLISH_CONCURRENCY: String(CONCURRENCY),
      DATABASE_POOL_SIZE: args.pool,
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      WORKER_METRICS_PORT: '0',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function waitUntil(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Busy ticks of a process so far (utime + stime), or 0 when it cannot be read. */
function processTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU time so far, in ms (Linux /proc; zero elsewhere): of the whole machine, busy
 * (ours), stolen (the hypervisor ran someone else on our core) and all of it; and
 * of the worker processes.
 */
function cpuSoFar(workers: readonly ChildProcess[]): {
  busy: number;
  stolen: number;
  all: number;
  worker: number;
} {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal; 100 ticks a second
    const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map((t) => t * 10);
    const busy = user + nice + system + irq + softirq;
    const worker = workers.reduce((sum, w) => sum + processTicks(w.pid) * 10, 0);
    return { busy, stolen: steal, all: busy + idle + iowait + steal, worker };
  } catch {
    return { busy: 0, stolen: 0, all: 0, worker: 0 };
  }
}

interface RunFigures {
  received: number;
  duplicates: number;
  ungated: number;
  throughput: number;
  lateness: { first: number; p50: number; p95: number; p99: number; max: number };
  /** when the last post arrived */
  lastAt: number;
  /**
   * From due time to the last post: CPU time of the whole machine and of the worker
   * processes per post, and the shares of all cores busy and stolen
   */
  cpu: { msPerPost: number; workerMsPerPost: number; busy: number; stolen: number };
}

async function publishRun(
  db: Client,
  hook: Awaited<ReturnType<typeof receiver>>,
  workers: readonly ChildProcess[],
  label: string,
  count: number,
  traps: number,
  leadMs: number,
): Promise<RunFigures> {
  hook.receipts.length = 0;
  const due = new Date(Math.ceil((Date.now() + leadMs) / 1000) * 1000);
  await seed(db, hook.url, `${label}${Date.now()}`, count, traps, due);
  const cpuAtDue = new Promise<ReturnType<typeof cpuSoFar>>((r) =>
    setTimeout(() => r(cpuSoFar(workers)), due.getTime() - Date.now()),
  );
  await waitUntil(() => hook.receipts.length >= count, 120_000 + leadMs);
  const [cpuFrom, cpuTo] = [await cpuAtDue, cpuSoFar(workers)];
  // Give stragglers (a duplicate, a trap that slipped through) a moment to show.
  const settle = Date.now() + 1000;
  await waitUntil(() => Date.now() > settle, 2000);
  const signedOff = new Set(
    (
      await db.query<{ k: string }>(
        `SELECT p.id || '-v1' AS k FROM posts p JOIN approvals a ON a.post_id = p.id WHERE p.scheduled_at = $1`,
        [due],
      )
    ).rows.map((r) => r.k),
  );
  const first = new Map<string, number>();
  let duplicates = 0;
  let ungated = 0;
  for (const r of hook.receipts) {
    if (first.has(r.key)) duplicates += 1;
    else first.set(r.key, r.at);
    if (!signedOff.has(r.key)) ungated += 1;
  }
  const lateness = [...first.values()].map((at) => at - due.getTime()).sort((a, b) => a - b);
  const last = Math.max(...first.values());
  return {
    received: first.size,
    duplicates,
    ungated,
    throughput: first.size / Math.max(0.001, (last - due.getTime()) / 1000),
    lastAt: last,
    cpu: {
      msPerPost: (cpuTo.busy - cpuFrom.busy) / count,
      workerMsPerPost: (cpuTo.worker - cpuFrom.worker) / count,
      busy: (cpuTo.busy - cpuFrom.busy) / Math.max(1, cpuTo.all - cpuFrom.all),
      stolen: (cpuTo.stolen - cpuFrom.stolen) / Math.max(1, cpuTo.all - cpuFrom.all),
    },
    lateness: {
      first: lateness[0],
      p50: percentile(lateness, 50),
      p95: percentile(lateness, 95),
      p99: percentile(lateness, 99),
      max: lateness[lateness.length - 1],
    },
  };
}

interface BareFigures {
  throughput: number;
  /** CPU time of the whole machine per job, from due time to the last job, in ms */
  cpuMsPerJob: number;
  /** how long after their due time the jobs completed, in ms */
  p99: number;
}

/** Bare BullMQ: `count` delayed no-op jobs due at the same moment, same Redis, same concurrency. */
async function baseline(count = BURST): Promise<BareFigures> {
  const prefix = `${PREFIX}-bare`;
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue('bare', { connection, prefix });
  const done: number[] = [];
  const worker = new Worker('bare', () => Promise.resolve(), {
    connection,
    prefix,
    concurrency: CONCURRENCY,
  });
  worker.on('completed', () => done.push(Date.now()));
  const due = Date.now() + 5000;
  const cpuAtDue = new Promise<ReturnType<typeof cpuSoFar>>((r) =>
    setTimeout(() => r(cpuSoFar([])), due - Date.now()),
  );
  for (let i = 0; i < count; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
        name: 'noop',
        data: { i: i + j },
        opts: { delay: due - Date.now(), removeOnComplete: true },
      })),
    );
  }
  await waitUntil(() => done.length >= count, 120_000);
  const [cpuFrom, cpuTo] = [await cpuAtDue, cpuSoFar([])];
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  const lateness = done.map((at) => at - due).sort((a, b) => a - b);
  return {
    throughput: count / ((lateness[lateness.length - 1] || 1) / 1000),
    cpuMsPerJob: (cpuTo.busy - cpuFrom.busy) / count,
    p99: percentile(lateness, 99),
  };
}

/** Until every worker process is up (compiled and connected), so none starts during a measurement. */
async function workersReady(count: number): Promise<void> {
  const queue = new Queue(QueueName.Publish, {
    connection: { url: REDIS_URL, maxRetriesPerRequest: null },
    prefix: PREFIX,
  });
  await waitUntil(async () => (await queue.getWorkers()).length >= count, 120_000, 200);
  await queue.close();
}

/** Until the worker is idle: the outbox empty and no publish or mail job left to run. */
async function settled(db: Client): Promise<void> {
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queues = [QueueName.Publish, QueueName.Mail].map(
    (name) => new Queue(name, { connection, prefix: PREFIX }),
  );
  const idle = async () => {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
    return rows[0].n === '0' && counts.every((c) => c.waiting + c.active + c.prioritized === 0);
  };
  await waitUntil(idle, 300_000, 200);
  await Promise.all(queues.map((q) => q.close()));
}

async function cleanRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

async function main(): Promise<void> {
  console.log(`machine: ${machine()}; worker concurrency ${CONCURRENCY}, ${WORKERS} worker process(es)`);
  const url = await freshDatabase(DB);
  const db = new Client({ connectionString: url });
  await db.connect();
  const hook = await receiver();
  const workers = Array.from({ length: WORKERS }, () => startWorker(url));
  try {
    await workersReady(WORKERS);
    // A warm-up of each, not counted: a worker meets a burst long after it started,
    // with its code compiled and optimized (measured: the first burst of a fresh
    // worker took 0.55 ms of its CPU per post, later ones 0.3 to 0.45).
    await baseline();
    await publishRun(db, hook, workers, 'warmup-', 1000, 0, 10_000);
    await settled(db);
    // Each burst between two runs of bare BullMQ, its baseline their mean, so that
    // each burst is compared with the machine it met (its speed here drifts by 2x
    // within minutes, and a bare run lasts under a second); each round starts when
    // the last one's mail and outbox are done, so that it does not pay for them.
    const rounds: Array<{ bare: BareFigures; burst: RunFigures; settledAfter: number }> = [];
    let before = await baseline();
    for (let round = 1; round <= ROUNDS; round += 1) {
      const burst = await publishRun(db, hook, workers, `burst${round}-`, BURST, TRAPS, 25_000);
      await settled(db);
      const settledAfter = Date.now() - burst.lastAt;
      const after = await baseline();
      const bare = {
        throughput: (before.throughput + after.throughput) / 2,
        cpuMsPerJob: (before.cpuMsPerJob + after.cpuMsPerJob) / 2,
        p99: (before.p99 + after.p99) / 2,
      };
      rounds.push({ bare, burst, settledAfter });
      console.log(
        `round ${round}: ${burst.throughput.toFixed(0)} posts/s, bare BullMQ ${before.throughput.toFixed(0)} and ${after.throughput.toFixed(0)} jobs/s (${((100 * burst.throughput) / bare.throughput).toFixed(1)}% of their mean), first ${burst.lateness.first} ms, p99 ${burst.lateness.p99} ms, CPU per post ${burst.cpu.msPerPost.toFixed(2)} ms (worker ${burst.cpu.workerMsPerPost.toFixed(2)} ms), bare ${bare.cpuMsPerJob.toFixed(3)} ms per job`,
      );
      before = after;
    }
    const mid = (of: (r: (typeof rounds)[number]) => number) => median(rounds.map(of));
    const sum = (of: (r: RunFigures) => number) => rounds.reduce((n, r) => n + of(r.burst), 0);
    // The steady case beside bare BullMQ's with as many jobs, either side of it.
    const bareSteadyBefore = await baseline(STEADY);
    const steady = await publishRun(db, hook, workers, 'steady', STEADY, 0, 5_000);
    const bareSteady = (bareSteadyBefore.p99 + (await baseline(STEADY)).p99) / 2;
    /** a burst's p99 against the pace its throughput explains: 5,000 posts ÷ posts/s */
    const ofPace = (r: (typeof rounds)[number]) =>
      r.burst.lateness.p99 / ((1000 * BURST) / r.burst.throughput);
    const ms = (n: number) => `${n} ms`;
    console.log(
      `\nburst: ${BURST} approved posts over ${WORKSPACES * CHANNELS_PER_WORKSPACE} channels (${2 + MEMBERS} members per workspace) due in the same second (+${TRAPS} without sign-offs); medians of ${ROUNDS} rounds`,
    );
    console.log(
      `  published ${sum((b) => b.received)}/${ROUNDS * BURST}, duplicates ${sum((b) => b.duplicates)}, ungated ${sum((b) => b.ungated)}`,
    );
    console.log(
      `  throughput ${mid((r) => r.burst.throughput).toFixed(0)} posts/s; bare BullMQ ${mid((r) => r.bare.throughput).toFixed(0)} jobs/s; ratio ${mid((r) => (100 * r.burst.throughput) / r.bare.throughput).toFixed(1)}% (median of the rounds' ratios)`,
    );
    console.log(
      `  lateness first ${ms(mid((r) => r.burst.lateness.first))}, p50 ${ms(mid((r) => r.burst.lateness.p50))}, p95 ${ms(mid((r) => r.burst.lateness.p95))}, p99 ${ms(mid((r) => r.burst.lateness.p99))}, max ${ms(mid((r) => r.burst.lateness.max))}`,
    );
    console.log(
      `  p99 ${mid((r) => r.burst.lateness.p99 / r.bare.p99).toFixed(1)}x bare BullMQ's (${ms(Math.round(mid((r) => r.bare.p99)))}); ${mid(ofPace).toFixed(2)}x the pace of its own throughput (target: within 1.25x)`,
    );
    console.log(
      `  CPU per post: ${mid((r) => r.burst.cpu.msPerPost).toFixed(2)} ms of the machine's (${(100 * mid((r) => r.burst.cpu.busy)).toFixed(0)}% of ${cpus().length} cores busy, ${(100 * mid((r) => r.burst.cpu.stolen)).toFixed(0)}% stolen by the hypervisor), of which the worker's ${mid((r) => r.burst.cpu.workerMsPerPost).toFixed(2)} ms`,
    );
    console.log(
      `  CPU per post ${mid((r) => r.burst.cpu.msPerPost / r.bare.cpuMsPerJob).toFixed(1)}x bare BullMQ's per job (${mid((r) => r.bare.cpuMsPerJob).toFixed(3)} ms; median of the rounds' multiples)`,
    );
    console.log(
      `  worker settled (outbox empty, every "published" mail sent) ${(mid((r) => r.settledAfter) / 1000).toFixed(1)} s after the last post`,
    );
    console.log(`steady: ${STEADY} posts due in the same second`);
    console.log(
      `  published ${steady.received}/${STEADY}, duplicates ${steady.duplicates}, ungated ${steady.ungated}`,
    );
    console.log(
      `  lateness first ${ms(steady.lateness.first)}, p50 ${ms(steady.lateness.p50)}, p99 ${ms(steady.lateness.p99)}, max ${ms(steady.lateness.max)}`,
    );
    console.log(
      `  p99 ${(steady.lateness.p99 / bareSteady).toFixed(1)}x bare BullMQ's for ${STEADY} no-op jobs (${ms(Math.round(bareSteady))}; target: within 2x)`,
    );
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((r) => worker.once('exit', r))));
    hook.server.close();
    await db.end();
    await cleanRedis();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
