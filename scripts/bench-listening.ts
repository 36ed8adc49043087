// npm run bench:listening — (1) ingests 100,000 mentions through the inbound endpoint
// of one API process (signed batches of 1,000, 4 in flight) and prints mentions/s;
// (2) seeds 1,000 watched workspaces with a week of mentions each (two every ten
// minutes) and times the spike watch's per-minute statement over all of them;
// (3) times GET .../mentions/stats and stats.svg over the workspace of (1).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { checkSpike } from '@app/domain';
import { standardWebhookHeaders } from '@app/publishers';
import { Client } from 'pg';
import {
  figuresOf,
  SPIKE_FIGURES_SQL,
  watchOf,
  type WatchRow,
} from '../apps/worker/src/listening/spike-watch';
import { freshDatabase, machine, startApiProcess } from './bench-support';

// Knobs: npm run bench:listening -- --mentions 100000 --workspaces 1000
const { values: args } = parseArgs({
  options: {
    mentions: { type: 'string', default: '100000' },
    workspaces: { type: 'string', default: '1000' },
  },
});
const MENTIONS = Number(args.mentions);
const BATCH = 1000;
const IN_FLIGHT = 4;
const WORKSPACES = Number(args.workspaces);
const RUNS = 5;
const DB = 'countersign_bench_listening';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What the calls here read of an answer. */
interface Answer {
  accessToken?: string;
  workspace?: { id: string };
  url?: string;
  secret?: string;
}

async function json(url: string, path: string, body: unknown, token?: string): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Answer;
}

async function ingest(url: string): Promise<{ rate: number; ws: string; token: string }> {
  const signed = await json(url, '/v1/auth/signup', {
    email: `listening-${Date.now()}@bench.test`,
    password: 'bench-password-Listen-2027!',
    name: 'Bench',
    workspaceName: 'Listening',
  });
  const ws = `/v1/workspaces/${signed.workspace!.id}`;
  const token = await json(url, `${ws}/listening/inbound-tokens`, { name: 'Bench tool' }, signed.accessToken);
  const path = new URL(token.url!).pathname;
  const key = Buffer.from(token.secret!.replace(/^whsec_/, ''), 'base64');
  const send = async (batch: number) => {
    const body = JSON.stringify({
      mentions: Array.from({ length: BATCH }, (_, i) => ({
        network: 'mastodon',
        externalId: `${batch}-${i}`,
        author: { handle: `@fan${i}@social.example`, name: `Fan ${i}` },
        text: i % 3 ? 'Love the new spring menu, great coffee!' : 'This is awful, the worst service ever.',
        createdAt: new Date(Date.now() - i * 1000).toISOString(),
      })),
    });
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...standardWebhookHeaders(`msg_${randomUUID()}`, body, key),
      },
      body,
    });
    const answer = (await res.json()) as { stored?: number };
    if (answer.stored !== BATCH) throw new Error(`batch ${batch}: ${res.status} ${JSON.stringify(answer)}`);
  };
  const started = performance.now();
  let next = 0;
  const batches = MENTIONS / BATCH;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches) await send(next++);
    }),
  );
  return { rate: MENTIONS / ((performance.now() - started) / 1000), ws, token: signed.accessToken! };
}

async function seedWatches(db: Client): Promise<number> {
  const started = Date.now();
  await db.query(
    `CREATE FUNCTION bench_uuid(text) RETURNS uuid IMMUTABLE LANGUAGE sql
     AS $$ SELECT overlay(overlay(md5($1) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid $$`,
  );
  await db.query(
    `INSERT INTO workspaces (id, name, timezone) SELECT bench_uuid('w' || n), 'Brand ' || n, 'UTC' FROM generate_series(1, $1) n`,
    [WORKSPACES],
  );
  await db.query(
    `INSERT INTO listening_watches (workspace_id, window_minutes, min_mentions, factor, action, cooldown_minutes)
     SELECT bench_uuid('w' || n), 10, 20, 4, 'notify', 60 FROM generate_series(1, $1) n`,
    [WORKSPACES],
  );
  await db.query(
    `INSERT INTO mentions (workspace_id, network, external_id, author_handle, text, sentiment, negative, created_at)
     SELECT bench_uuid('w' || n), 'mastodon', n || '-' || k, '@fan@social.example', 'Nice', 0.1, k % 7 = 0,
            now() - interval '7 days 1 hour' + k * interval '5 minutes'
       FROM generate_series(1, $1) n, generate_series(0, 7 * 24 * 12 + 11) k`,
    [WORKSPACES],
  );
  await db.query('ANALYZE mentions');
  return Date.now() - started;
}

/** GET .../mentions/stats (and the chart) over the ingested workspace, each timed RUNS times over HTTP. */
async function timeStats(url: string, ws: string, token: string): Promise<Array<[string, number[]]>> {
  const cases: Array<[string, string]> = [
    ['stats, 5m over 6 h', 'stats?bucket=5m'],
    ['stats, 1h over 2 days', 'stats?bucket=1h'],
    ['stats, 1d over 30 days', 'stats?bucket=1d'],
    ['chart (SVG), 5m over 6 h', 'stats.svg?bucket=5m'],
  ];
  const out: Array<[string, number[]]> = [];
  for (const [what, query] of cases) {
    const ms: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      const started = performance.now();
      const res = await fetch(`${url}${ws}/mentions/${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`${query}: ${res.status} ${await res.text()}`);
      await res.text();
      // The first run warms the code up; it is not counted.
      if (run > 0) ms.push(performance.now() - started);
    }
    out.push([what, ms]);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(`machine: ${machine()}`);
  const databaseUrl = await freshDatabase(DB);
  const api = await startApiProcess({ DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: '100000' });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rate, ws, token } = await ingest(api.url);
    console.log(
      `ingest: ${MENTIONS} mentions in batches of ${BATCH}, ${IN_FLIGHT} in flight: ${rate.toFixed(0)} mentions/s`,
    );
    const seedMs = await seedWatches(db);
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM mentions');
    console.log(
      `seeded ${WORKSPACES} watched workspaces, ${rows[0].n} mentions in all, in ${(seedMs / 1000).toFixed(1)} s`,
    );
    const times: number[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const started = performance.now();
      const now = new Date();
      const watched = (await db.query<WatchRow>(SPIKE_FIGURES_SQL, [now])).rows;
      const spikes = watched.filter(
        (r) => checkSpike(watchOf(r), figuresOf(r), now, r.last_alert_at).spike,
      ).length;
      times.push(performance.now() - started);
      console.log(
        `watch run ${run}: ${watched.length} workspaces checked, ${spikes} spikes, ${times.at(-1)!.toFixed(0)} ms`,
      );
    }
    const stats = await timeStats(api.url, ws, token);
    console.log(`\n| run | median | min | max |\n|---|---:|---:|---:|`);
    console.log(
      `| watch over ${WORKSPACES} workspaces (ms) | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`,
    );
    for (const [what, ms] of stats) {
      console.log(
        `| ${what} over ${MENTIONS} mentions (ms) | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)} | ${Math.max(...ms).toFixed(0)} |`,
      );
    }
  } finally {
    await db.end();
    await api.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
